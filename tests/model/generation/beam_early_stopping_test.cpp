// Beam search with early_stopping true and "never" against transformers' beam-4 outputs for 20 dev prompts
// each (tests/data/beam-early-stopping-*.json, made by scripts/make_reference.py); the shared suites cover
// early_stopping false only. With true, dev-0024 and dev-0032 stop on shorter outputs than with false.

#include <gtest/gtest.h>

#include <cmath>

#include "cli/model_args.h"
#include "suites/reference_suite.h"
#include "support/shared_data.h"
#include "t5.h"

namespace {

struct EarlyStoppingCase {
  const char* file;
  t5::EarlyStopping mode;
  const char* mode_name;
};

class BeamEarlyStoppingTest : public testing::TestWithParam<EarlyStoppingCase> {};

TEST_P(BeamEarlyStoppingTest, OutputsAndScoresMatchTransformers) {
  T5_REQUIRE_SHARED_DATA();
  const t5bench::ReferenceSuite suite =
      t5bench::load_reference_suite(t5test::source_dir() + "/tests/data/" + GetParam().file);
  ASSERT_EQ(suite.beam.early_stopping, GetParam().mode_name);
  t5::BeamOptions options;
  options.num_beams = suite.beam.num_beams;
  options.length_penalty = suite.beam.length_penalty;
  options.early_stopping = GetParam().mode;
  options.max_new_tokens = suite.beam.max_new_tokens;
  t5::Engine engine(t5test::shared_model(), 2);
  engine.set_switches(t5bench::parse_configuration("optimized"));
  int cases = 0;
  for (const t5bench::ReferenceCase& c : suite.cases) {
    ASSERT_TRUE(c.beam4) << c.id;
    const t5::Generation g = engine.generate_beam(c.beam4->input_ids, options);
    EXPECT_EQ(g.output_ids, c.beam4->output_ids) << c.id;
    EXPECT_NEAR(g.sequence_score, c.beam4->sequence_score, 1e-4) << c.id;
    ++cases;
  }
  EXPECT_EQ(cases, 20);
}

INSTANTIATE_TEST_SUITE_P(Modes, BeamEarlyStoppingTest,
                         testing::Values(EarlyStoppingCase{"beam-early-stopping-true.json", t5::EarlyStopping::True, "true"},
                                         EarlyStoppingCase{"beam-early-stopping-never.json", t5::EarlyStopping::Never, "never"}),
                         [](const testing::TestParamInfo<EarlyStoppingCase>& info) { return std::string(info.param.mode_name); });

}  // namespace
