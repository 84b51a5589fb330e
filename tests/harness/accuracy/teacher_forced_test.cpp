// Teacher-forced step measures on hand-made four-id vocabularies, checked against values worked out by
// hand, and their aggregates.

#include "accuracy/teacher_forced.h"

#include <gtest/gtest.h>

#include <cmath>

#include "accuracy/evaluation.h"

namespace {

t5bench::ReferenceStep step(std::vector<int32_t> ids, std::vector<float> logits, std::optional<double> lse = {}) {
  t5bench::ReferenceStep s;
  s.top_ids = std::move(ids);
  s.top_logits = std::move(logits);
  s.logsumexp = lse;
  return s;
}

TEST(SummarizeStep, TakesTheFirstArgmaxTheLogSumExpAndOurLogitsAtTheReferenceIds) {
  const float logits[4] = {1, 3, 3, 0};
  const t5bench::ReferenceStep reference = step({2, 0}, {5, 4});
  const t5bench::StepLogits s = t5bench::summarize_step(logits, 4, reference, -1);
  EXPECT_EQ(s.choice, 1);
  EXPECT_NEAR(s.logsumexp, 3.7816718231374824, 1e-12);  // ln(e + 2 e^3 + 1)
  EXPECT_EQ(s.at_top_ids, (std::vector<float>{3, 1}));
  EXPECT_EQ(t5bench::summarize_step(logits, 4, reference, /*excluded_id=*/1).choice, 2);
}

// Reference logits (2, 1, 0, -1), ours (1.5, 1.5, 0, -1); the reference keeps ids 0 and 1, the rest is the
// tail. P = (e^2, e, 1 + 1/e) / (e^2 + e + 1 + 1/e) = (0.643914, 0.236883, 0.119203);
// Q = (e^1.5, e^1.5, 1 + 1/e) / (2 e^1.5 + 1 + 1/e) = (0.433799, 0.433799, 0.132402);
// KL(P || Q) = sum P ln(P / Q) = 0.2543360 - 0.1433178 - 0.0125182 = 0.0985000; dp = |0.433799 - 0.643914|.
TEST(CompareStep, KlOverTheTopIdsPlusTheTailAndDeltaPOfTheChosenId) {
  const double reference_lse = std::log(std::exp(2.0) + std::exp(1.0) + 1 + std::exp(-1.0));
  const float ours[4] = {1.5f, 1.5f, 0, -1};
  const t5bench::ReferenceStep reference = step({0, 1}, {2, 1}, reference_lse);
  const t5bench::StepLogits mine = t5bench::summarize_step(ours, 4, reference, -1);
  const t5bench::TeacherForcedStep t = t5bench::compare_step(reference, 0, mine, -1);
  EXPECT_FALSE(t.ambiguous);
  EXPECT_TRUE(t.agrees);  // ids 0 and 1 tie in ours: the first is chosen
  EXPECT_TRUE(t.agrees_strictly);
  ASSERT_TRUE(t.kl && t.delta_p);
  EXPECT_NEAR(*t.kl, 0.09850003879990696, 1e-9);
  EXPECT_NEAR(*t.delta_p, 0.21011527318836964, 1e-9);
}

TEST(CompareStep, IdenticalDistributionsHaveNoDivergence) {
  const float logits[4] = {2, 1, 0, -1};
  const t5bench::ReferenceStep reference = step({0, 1, 2}, {2, 1, 0}, std::log(std::exp(2.0) + std::exp(1.0) + 1 + std::exp(-1.0)));
  const t5bench::TeacherForcedStep t =
      t5bench::compare_step(reference, 0, t5bench::summarize_step(logits, 4, reference, -1), -1);
  EXPECT_NEAR(*t.kl, 0.0, 1e-15);
  EXPECT_NEAR(*t.delta_p, 0.0, 1e-15);
}

TEST(CompareStep, AtANearTieEitherTiedIdAgreesButNoOther) {
  const t5bench::ReferenceStep reference = step({0, 1, 2}, {5.0f, 4.9995f, 3.0f});  // margin 5e-4 < 1e-3
  const float second[4] = {1, 2, 0, 0}, third[4] = {1, 0, 2, 0};
  const t5bench::TeacherForcedStep tied = t5bench::compare_step(reference, 0, t5bench::summarize_step(second, 4, reference, -1), -1);
  EXPECT_TRUE(tied.ambiguous);
  EXPECT_TRUE(tied.agrees);
  EXPECT_FALSE(tied.agrees_strictly);
  EXPECT_FALSE(tied.kl);  // no log-sum-exp in this reference
  const t5bench::TeacherForcedStep wrong = t5bench::compare_step(reference, 0, t5bench::summarize_step(third, 4, reference, -1), -1);
  EXPECT_TRUE(wrong.ambiguous);
  EXPECT_FALSE(wrong.agrees);
}

TEST(CompareStep, AnExcludedEosNeitherChoosesNorDecidesTheMargin) {
  // EOS (id 1) leads but may not be chosen: the decision is between ids 3 and 2, 0.5 apart.
  const t5bench::ReferenceStep reference = step({1, 3, 2}, {6.0f, 5.0f, 4.5f});
  const float ours[4] = {0, 7, 4, 5};
  const t5bench::TeacherForcedStep t = t5bench::compare_step(reference, 3, t5bench::summarize_step(ours, 4, reference, 1), 1);
  EXPECT_FALSE(t.ambiguous);
  EXPECT_TRUE(t.agrees_strictly);
  const t5bench::ReferenceStep close = step({1, 3, 2}, {6.0f, 5.0f, 4.9995f});
  EXPECT_TRUE(t5bench::compare_step(close, 3, t5bench::summarize_step(ours, 4, close, 1), 1).ambiguous);
}

TEST(AccuracyAggregate, PoolsTeacherForcedStepsOfAllCases) {
  t5bench::CaseOutcome first, second;
  first.teacher_forced = {{false, true, true, 0.0, 0.0}, {true, true, false, 0.1, 0.02}};
  second.teacher_forced = {{false, false, false, 0.4, 0.3}};
  first.answered = second.answered = true;
  first.task_correct = first.reference_task_correct = second.reference_task_correct = true;
  t5bench::AccuracyAggregate aggregate;
  aggregate.add(first);
  aggregate.add(second);
  const t5::json j = aggregate.to_json();
  EXPECT_EQ(j["teacher_forced_steps"].get<int>(), 3);
  EXPECT_EQ(j["teacher_forced_ambiguous_steps"].get<int>(), 1);
  EXPECT_DOUBLE_EQ(j["teacher_forced_top1_agreement"].get<double>(), 2.0 / 3);
  EXPECT_DOUBLE_EQ(j["teacher_forced_top1_strict"].get<double>(), 1.0 / 3);
  EXPECT_EQ(j["kld_steps"].get<int>(), 3);
  EXPECT_DOUBLE_EQ(j["kld_mean"].get<double>(), 0.5 / 3);
  EXPECT_DOUBLE_EQ(j["kld_p99"].get<double>(), 0.394);  // rank 1.98 between 0.1 and 0.4
  EXPECT_DOUBLE_EQ(j["kld_max"].get<double>(), 0.4);
  EXPECT_DOUBLE_EQ(j["delta_p_mean"].get<double>(), 0.32 / 3);
  EXPECT_DOUBLE_EQ(j["task_accuracy_ratio"].get<double>(), 0.5);  // 1 right of the reference's 2
}

TEST(AccuracyAggregate, LeavesOutKlWithoutTheReferencesLogSumExp) {
  t5bench::CaseOutcome c;
  c.teacher_forced = {{false, true, true, std::nullopt, std::nullopt}};
  t5bench::AccuracyAggregate aggregate;
  aggregate.add(c);
  const t5::json j = aggregate.to_json();
  EXPECT_FALSE(j.contains("kld_mean"));
  EXPECT_DOUBLE_EQ(j["teacher_forced_top1_agreement"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(j["task_accuracy_ratio"].get<double>(), 1.0);  // no reference answer right: nothing to lose
}

}  // namespace
