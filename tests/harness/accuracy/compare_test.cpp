// compare_greedy on hand-made references: exact matches, and which first divergences a near-tie excuses.

#include "accuracy/compare.h"

#include <gtest/gtest.h>

namespace {

// Three steps; the reference chose 7, 8, then EOS. Step 1 is a near-tie between 8 and 9 (margin 4e-4),
// step 2 a clear decision (margin 0.5) between EOS and 11.
t5bench::ReferenceStep step(std::vector<int32_t> top_ids, std::vector<float> top_logits) {
  t5bench::ReferenceStep s;
  s.top_ids = std::move(top_ids);
  s.top_logits = std::move(top_logits);
  return s;
}

t5bench::ReferenceGreedy reference() {
  t5bench::ReferenceGreedy g;
  g.input_ids = {5, 1};
  g.output_ids = {7, 8, 1};
  g.steps = {step({7, 3, 4}, {2.0f, 1.0f, 0.5f}), step({8, 9, 10}, {3.0004f, 3.0f, 2.9995f}),
             step({1, 11, 12}, {1.5f, 1.0f, 0.0f})};
  return g;
}

TEST(CompareGreedy, IdenticalOutputsAreExact) {
  const t5bench::GreedyComparison c = t5bench::compare_greedy(reference(), {7, 8, 1});
  EXPECT_TRUE(c.exact);
  EXPECT_FALSE(c.ambiguous);
  EXPECT_TRUE(c.tie_aware_match());
  EXPECT_EQ(c.first_divergence, -1);
  EXPECT_EQ(c.matching_tokens, 3);
}

TEST(CompareGreedy, TheOtherSideOfANearTieIsAmbiguous) {
  const t5bench::GreedyComparison c = t5bench::compare_greedy(reference(), {7, 9, 4, 1});
  EXPECT_FALSE(c.exact);
  EXPECT_TRUE(c.ambiguous);
  EXPECT_TRUE(c.tie_aware_match());
  EXPECT_EQ(c.first_divergence, 1);
  EXPECT_EQ(c.matching_tokens, 1);
  EXPECT_NEAR(c.divergence_margin, 4e-4f, 1e-6f);
}

TEST(CompareGreedy, ATokenOutsideTheTieFailsEvenAtANearTieStep) {
  // 10 is the reference's third choice at step 1, and 42 not among its top five at all.
  for (const int32_t token : {10, 42}) {
    const t5bench::GreedyComparison c = t5bench::compare_greedy(reference(), {7, token, 1});
    EXPECT_FALSE(c.ambiguous) << token;
    EXPECT_FALSE(c.tie_aware_match()) << token;
    EXPECT_EQ(c.first_divergence, 1) << token;
  }
}

TEST(CompareGreedy, TheReferencesSecondChoiceFailsAtAClearStep) {
  const t5bench::GreedyComparison c = t5bench::compare_greedy(reference(), {7, 8, 11, 1});
  EXPECT_FALSE(c.ambiguous);
  EXPECT_FALSE(c.tie_aware_match());
  EXPECT_EQ(c.first_divergence, 2);
  EXPECT_EQ(c.matching_tokens, 2);
  EXPECT_FLOAT_EQ(c.divergence_margin, 0.5f);
}

TEST(CompareGreedy, AnOutputThatEndsEarlyOrRunsOnFails) {
  // Ours stops at the near-tie step: no token there, so nothing to excuse.
  t5bench::GreedyComparison c = t5bench::compare_greedy(reference(), {7});
  EXPECT_FALSE(c.tie_aware_match());
  EXPECT_EQ(c.first_divergence, 1);
  // Ours goes on past the reference's EOS: the divergence lies beyond its steps.
  c = t5bench::compare_greedy(reference(), {7, 8, 1, 5});
  EXPECT_FALSE(c.tie_aware_match());
  EXPECT_EQ(c.first_divergence, 3);
  EXPECT_EQ(c.matching_tokens, 3);
}

}  // namespace
