// Greedy generation reproduces transformers' reference outputs on every reference suite, in every
// configuration (baseline, optimized, each optimization alone), except where the first divergence falls
// on a near-tie step (top-1/top-2 margin < 1e-3).

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "accuracy/compare.h"
#include "cli/model_args.h"
#include "suites/reference_suite.h"
#include "support/isa_tiers.h"
#include "support/shared_data.h"
#include "t5.h"

namespace {

// Runs every `stride`-th case of the reference suites `files` and checks the outputs (tie-aware) and the top-5
// logits.
void expect_reference_outputs(t5::Engine& engine, const std::vector<std::string>& files, const std::string& label,
                              size_t stride = 1) {
  int cases = 0, exact = 0, ambiguous = 0;
  float worst_logit_error = 0;
  for (const std::string& file : files) {
    const t5bench::ReferenceSuite suite = t5bench::load_reference_suite(t5test::reference_path(file));
    t5::GenerateOptions options;
    options.max_new_tokens = suite.max_new_tokens;
    options.ignore_eos = suite.ignore_eos;
    for (size_t index = 0; index < suite.cases.size(); index += stride) {
      const t5bench::ReferenceCase& c = suite.cases[index];
      std::vector<std::vector<float>> top_logits;  // our logits at the reference's top-5 ids, per step
      const t5::Generation g = engine.generate(c.greedy.input_ids, options, [&](int step, const float* logits, int) {
        if (step < static_cast<int>(c.greedy.steps.size())) {
          std::vector<float> mine;
          for (int32_t id : c.greedy.steps[static_cast<size_t>(step)].top_ids) mine.push_back(logits[id]);
          top_logits.push_back(mine);
        }
      });
      const t5bench::GreedyComparison cmp = t5bench::compare_greedy(c.greedy, g.output_ids);
      ++cases;
      exact += cmp.exact;
      ambiguous += cmp.ambiguous;
      EXPECT_TRUE(cmp.tie_aware_match()) << file << " " << c.id << " diverges at step " << cmp.first_divergence
                                         << " (reference margin " << cmp.divergence_margin << ")";
      const int compared_steps = cmp.exact ? static_cast<int>(top_logits.size()) : cmp.first_divergence + 1;
      for (int s = 0; s < compared_steps && s < static_cast<int>(top_logits.size()); ++s)
        for (size_t k = 0; k < top_logits[static_cast<size_t>(s)].size(); ++k)
          worst_logit_error = std::max(worst_logit_error,
                                       std::fabs(top_logits[static_cast<size_t>(s)][k] -
                                                 c.greedy.steps[static_cast<size_t>(s)].top_logits[k]));
    }
  }
  EXPECT_LE(worst_logit_error, 1e-3f);  // references are rounded to 6 decimals
  std::printf("[%s] %d cases: %d exact, %d ambiguous (near-tie divergence); top-5 logit max abs error %.3g\n",
              label.c_str(), cases, exact, ambiguous, worst_logit_error);
}

// At the best tier this host runs: every suite, every configuration.
class EngineTest : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { T5_REQUIRE_SHARED_DATA(); }
};

TEST_P(EngineTest, GreedyOutputsMatchEveryReferenceSuite) {
  t5::Engine engine(t5test::shared_model(), 2);
  engine.set_switches(t5bench::parse_configuration(GetParam()));
  expect_reference_outputs(engine, {"suite-dev.json", "suite-dev-long.json", "suite-seed.json", "suite-seed-128x32.json"},
                           GetParam() + ", " + t5::isa_tier_name(t5::active_isa_tier()));
}

// Each lower tier the host runs, with the same tolerances: the benchmark's condition and the seed prompts in
// both configurations, and every fourth suite-dev case (100 of its 14 tasks' prompts) in the one that runs our
// kernels.
class EngineLowerTierTest : public testing::TestWithParam<t5::IsaTier> {
 protected:
  void SetUp() override { T5_REQUIRE_SHARED_DATA(); }
};

TEST_P(EngineLowerTierTest, GreedyOutputsMatchTheShortSuites) {
  const t5test::ActiveTier tier(GetParam());
  t5::Engine engine(t5test::shared_model(), 2);
  const std::string tier_name = t5::isa_tier_name(GetParam());
  engine.set_switches(t5::Switches::optimized());
  expect_reference_outputs(engine, {"suite-seed.json", "suite-seed-128x32.json"}, "optimized, " + tier_name);
  expect_reference_outputs(engine, {"suite-dev.json"}, "optimized, " + tier_name, 4);
  engine.set_switches(t5::Switches::baseline());
  expect_reference_outputs(engine, {"suite-seed.json", "suite-seed-128x32.json"}, "baseline, " + tier_name);
}

std::vector<t5::IsaTier> lower_tiers() {
  std::vector<t5::IsaTier> tiers = t5::host_isa_tiers();
  tiers.pop_back();
  return tiers;
}

INSTANTIATE_TEST_SUITE_P(Tiers, EngineLowerTierTest, testing::ValuesIn(lower_tiers()), t5test::tier_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(EngineLowerTierTest);  // a host with one tier

// baseline, optimized and each optimization alone: the configurations of `bench --configs ablation`.
std::vector<std::string> ablation_configurations() {
  std::vector<std::string> names = {"baseline", "optimized"};
  for (const std::string& name : t5::Switches::names()) names.push_back(name);
  return names;
}

INSTANTIATE_TEST_SUITE_P(Configurations, EngineTest, testing::ValuesIn(ablation_configurations()));

TEST(Engine, IgnoreEosProducesExactlyTheRequestedTokens) {
  T5_REQUIRE_SHARED_DATA();
  const t5::Model* model = &t5test::shared_model();
  t5::Engine engine(*model, 2);
  t5::GenerateOptions options;
  options.max_new_tokens = 20;
  const std::vector<int32_t> ids = model->tokenizer()->encode("23 - 23 =", "p");
  EXPECT_EQ(engine.generate(ids, options).output_ids.size(), 3u);  // "0" then EOS
  options.ignore_eos = true;
  const t5::Generation g = engine.generate(ids, options);
  ASSERT_EQ(g.output_ids.size(), 20u);
  EXPECT_EQ(g.output_ids[0], 3);
  EXPECT_EQ(g.output_ids[1], 632);
  for (int32_t id : g.output_ids) EXPECT_NE(id, 1);
  EXPECT_EQ(g.step_seconds.size(), 20u);
  EXPECT_GT(g.encoder_seconds, 0);
  EXPECT_GE(g.total_seconds, g.first_token_seconds);
}

TEST(Engine, RefusesInputsOutsideTheModel) {
  T5_REQUIRE_SHARED_DATA();
  const t5::Model* model = &t5test::shared_model();
  auto error = [&](const std::vector<int32_t>& ids) -> std::string {
    try {
      t5::validate_input_ids(ids, model->config(), "prompt 2");
    } catch (const t5::Error& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(error({}), "prompt 2: no input ids");
  EXPECT_EQ(error({5, 32128, 1}), "prompt 2: input id 32128 at position 1 is outside the vocabulary of 32128");
  EXPECT_EQ(error({-3}), "prompt 2: input id -3 at position 0 is outside the vocabulary of 32128");
  EXPECT_EQ(error(std::vector<int32_t>(513, 5)), "prompt 2: 513 input tokens exceed the model's limit of 512");
  EXPECT_EQ(error(std::vector<int32_t>(512, 5)), "no error");
}

}  // namespace
