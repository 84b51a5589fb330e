// The reference suite reader: the shared format (top-5 logits), the optional fields of suites made by
// scripts/make_reference.py (more top ids, each step's log-sum-exp), and the exact one-line error for each
// kind of malformed part.

#include "suites/reference_suite.h"

#include <gtest/gtest.h>

#include <functional>

#include "core/error.h"
#include "io/json_file.h"
#include "support/shared_data.h"

namespace {

using t5::json;

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

// One case with two greedy steps and a beam-4 reference, in the ../shared/reference format.
json valid_suite() {
  return json::parse(R"({
    "suite": "tiny", "model": "m", "reference": "transformers",
    "generation": {"max_new_tokens": 8, "min_new_tokens": 8,
                   "beam": {"num_beams": 4, "length_penalty": 0.5, "early_stopping": "never", "max_new_tokens": 6}},
    "cases": [{"id": "c1", "task": "sort", "prompt": "sort: b a", "answer": "a b",
               "greedy": {"input_ids": [7, 1], "output_ids": [9, 1], "output_text": "a b",
                          "steps": [{"top_ids": [9, 4], "top_logits": [2.5, 1.0]},
                                    {"top_ids": [1, 9, 3], "top_logits": [3.0, 0.5, 0.25]}]},
               "beam4": {"input_ids": [7, 1], "output_ids": [9, 1], "output_text": "a b", "sequence_score": -0.125}}]})");
}

// The error parsing `suite` after `change` gives, or "no error".
std::string error_after(const std::function<void(json&)>& change) {
  json suite = valid_suite();
  change(suite);
  try {
    t5bench::parse_reference_suite(suite.dump(), "suite.json");
  } catch (const t5::Error& e) {
    return e.what();
  }
  return "no error";
}

json& greedy(json& suite) { return suite["cases"][0]["greedy"]; }

TEST(ReferenceSuite, ParsesEveryFieldOfAWellFormedSuite) {
  const t5bench::ReferenceSuite suite = t5bench::parse_reference_suite(valid_suite().dump(), "suite.json");
  EXPECT_EQ(suite.path, "suite.json");
  EXPECT_EQ(suite.name, "tiny");
  EXPECT_EQ(suite.max_new_tokens, 8);
  EXPECT_TRUE(suite.ignore_eos);  // min_new_tokens reaches max_new_tokens
  EXPECT_EQ(suite.beam.num_beams, 4);
  EXPECT_EQ(suite.beam.length_penalty, 0.5);
  EXPECT_EQ(suite.beam.early_stopping, "never");
  EXPECT_EQ(suite.beam.max_new_tokens, 6);
  ASSERT_EQ(suite.cases.size(), 1u);
  const t5bench::ReferenceCase& c = suite.cases[0];
  EXPECT_EQ(c.id, "c1");
  EXPECT_EQ(c.answer, "a b");
  EXPECT_FALSE(c.input_ids_are_canonical);
  EXPECT_EQ(c.greedy.output_ids, (std::vector<int32_t>{9, 1}));
  ASSERT_EQ(c.greedy.steps.size(), 2u);
  EXPECT_EQ(c.greedy.steps[1].top_ids, (std::vector<int32_t>{1, 9, 3}));
  EXPECT_EQ(c.greedy.steps[1].top_logits, (std::vector<float>{3.0f, 0.5f, 0.25f}));
  ASSERT_TRUE(c.beam4.has_value());
  EXPECT_EQ(c.beam4->sequence_score, -0.125);
  EXPECT_EQ(error_after([](json& s) { s["generation"].erase("min_new_tokens"); }), "no error");
}

TEST(ReferenceSuite, EachMalformedPartGivesItsOneLineError) {
  const struct {
    std::function<void(json&)> change;
    std::string error;
  } cases[] = {
      {[](json& s) { s = json::array(); }, "suite.json: a reference suite is a JSON object"},
      {[](json& s) { s.erase("suite"); }, "suite.json: missing required field 'suite'"},
      {[](json& s) { s.erase("generation"); }, "suite.json: missing required field 'generation'"},
      {[](json& s) { s["generation"]["max_new_tokens"] = 0; },
       "suite.json: generation: field 'max_new_tokens' must be in [1, 65536], got 0"},
      {[](json& s) { s["generation"]["beam"]["num_beams"] = 65; },
       "suite.json: generation.beam: field 'num_beams' must be in [1, 64], got 65"},
      {[](json& s) { s["generation"]["beam"]["early_stopping"] = "sometimes"; },
       "suite.json: generation.beam: early_stopping must be true, false or \"never\""},
      {[](json& s) { s["cases"] = json::array(); }, "suite.json: 'cases' must be a non-empty list"},
      {[](json& s) { s["cases"][0] = 5; }, "suite.json: case 0: a case is a JSON object"},
      {[](json& s) { s["cases"][0].erase("prompt"); }, "suite.json: case c1: missing required field 'prompt'"},
      {[](json& s) { s["cases"][0]["greedy"] = json::array(); }, "suite.json: case c1: 'greedy' must be an object"},
      {[](json& s) { greedy(s)["input_ids"] = json::array(); }, "suite.json: case c1: 'input_ids' is empty"},
      {[](json& s) { greedy(s)["input_ids"][0] = -1; },
       "suite.json: case c1: field 'input_ids' holds -1, not a token id"},
      {[](json& s) { greedy(s)["output_ids"] = "9 1"; },
       "suite.json: case c1: field 'output_ids' must be a list of token ids"},
      {[](json& s) { greedy(s)["steps"] = json::object(); }, "suite.json: case c1: 'steps' must be a list"},
      {[](json& s) { greedy(s)["steps"][0]["top_logits"][1] = "x"; },
       "suite.json: case c1: 'top_logits' holds \"x\", not a number"},
      {[](json& s) { greedy(s)["steps"][0] = json::parse(R"({"top_ids": [9], "top_logits": [2.5]})"); },
       "suite.json: case c1: a step needs as many top_ids as top_logits, at least two"},
      {[](json& s) { greedy(s)["steps"].erase(1); }, "suite.json: case c1: 1 steps for 2 output ids"},
      {[](json& s) { s["cases"][0]["beam4"].erase("sequence_score"); },
       "suite.json: case c1: missing required field 'sequence_score'"},
  };
  for (const auto& c : cases) EXPECT_EQ(error_after(c.change), c.error);
}

std::string load_error(const std::string& path) {
  try {
    t5bench::load_reference_suite(path);
  } catch (const t5::Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(ReferenceSuite, UnreadableFilesNameThePath) {
  t5test::TempDir dir("suite");
  const std::string missing = dir.file("none.json"), cut = dir.file("cut.json");
  EXPECT_EQ(load_error(missing), missing + ": cannot open: No such file or directory");
  t5test::write_file(cut, R"({"suite": "tiny", )");
  EXPECT_EQ(load_error(cut), cut + ": invalid JSON: parse error at line 1, column 19: syntax error while parsing object "
                                   "key - unexpected end of input; expected string literal");
}

}  // namespace
