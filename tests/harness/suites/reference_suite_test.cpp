// The reference suite reader: the shared format (top-5 logits) and the optional fields of suites made by
// scripts/make_reference.py (more top ids, each step's log-sum-exp).

#include "suites/reference_suite.h"

#include <gtest/gtest.h>

namespace {

std::string suite_with_step(const std::string& step) {
  return R"({"suite": "s", "generation": {"max_new_tokens": 4}, "cases": [{"id": "c0", "prompt": "p",
             "greedy": {"input_ids": [5, 1], "output_ids": [7], "steps": [)" + step + "]}}]}";
}

TEST(ReferenceSuite, ReadsTopKLogitsWithoutLogSumExpAsTheSharedSuitesHaveThem) {
  const t5bench::ReferenceSuite s =
      t5bench::parse_reference_suite(suite_with_step(R"({"top_ids": [7, 3], "top_logits": [2.5, 1.0]})"), "s.json");
  ASSERT_EQ(s.cases.size(), 1u);
  const t5bench::ReferenceStep& step = s.cases[0].greedy.steps[0];
  EXPECT_EQ(step.top_ids, (std::vector<int32_t>{7, 3}));
  EXPECT_FALSE(step.logsumexp);
}

TEST(ReferenceSuite, ReadsTwentyTopIdsAndTheStepsLogSumExp) {
  std::string ids, logits;
  for (int k = 0; k < 20; ++k) {
    if (k > 0) {
      ids += ',';
      logits += ',';
    }
    ids += std::to_string(100 + k);
    logits += std::to_string(10 - k);
  }
  const t5bench::ReferenceSuite s = t5bench::parse_reference_suite(
      suite_with_step(R"({"top_ids": [)" + ids + R"(], "top_logits": [)" + logits + R"(], "logsumexp": 10.458675145387207})"),
      "s.json");
  const t5bench::ReferenceStep& step = s.cases[0].greedy.steps[0];
  EXPECT_EQ(step.top_ids.size(), 20u);
  EXPECT_EQ(step.top_logits[19], -9.0f);
  ASSERT_TRUE(step.logsumexp);
  EXPECT_DOUBLE_EQ(*step.logsumexp, 10.458675145387207);
}

TEST(ReferenceSuite, RefusesALogSumExpBelowTheTopLogit) {
  try {
    t5bench::parse_reference_suite(suite_with_step(R"({"top_ids": [7, 3], "top_logits": [2.5, 1.0], "logsumexp": 2.0})"),
                                   "s.json");
    FAIL() << "no error";
  } catch (const std::exception& e) {
    EXPECT_STREQ(e.what(), "s.json: case c0: a step's logsumexp 2.0 is below its top logit");
  }
  try {
    t5bench::parse_reference_suite(suite_with_step(R"({"top_ids": [7, 3], "top_logits": [2.5, 1.0], "logsumexp": "x"})"),
                                   "s.json");
    FAIL() << "no error";
  } catch (const std::exception& e) {
    EXPECT_STREQ(e.what(), "s.json: case c0: field 'logsumexp' must be a number, got \"x\"");
  }
}

}  // namespace
