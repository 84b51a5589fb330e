// Beam search: the candidate selection and the finishing / stopping rules on hand-made steps, and the whole
// search against transformers' beam-4 references in every configuration.

#include "generation/beam_search.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "cli/model_args.h"
#include "suites/reference_suite.h"
#include "support/shared_data.h"
#include "t5.h"

namespace {

constexpr int32_t kEos = 1;

t5::BeamOptions beam_options(int beams, double length_penalty, t5::EarlyStopping early_stopping, int max_new_tokens) {
  t5::BeamOptions options;
  options.num_beams = beams;
  options.length_penalty = length_penalty;
  options.early_stopping = early_stopping;
  options.max_new_tokens = max_new_tokens;
  return options;
}

// A running beam's tokens so far.
std::vector<int32_t> running(const t5::BeamSearch& search, int beam) {
  const int32_t* tokens = search.running_tokens.data() + static_cast<size_t>(beam) * search.options.max_new_tokens;
  return {tokens, tokens + search.generated};
}

std::vector<int32_t> hypothesis(const t5::BeamSearch& search, int slot) {
  const int32_t* tokens = search.hypothesis_tokens.data() + static_cast<size_t>(slot) * search.options.max_new_tokens;
  return {tokens, tokens + search.hypothesis_lengths[static_cast<size_t>(slot)]};
}

TEST(TopContinuations, AddsTheLogSoftmaxToEachBeamsScoreAndRanksOverAllBeams) {
  const int vocab = 5;
  const float logits[2 * vocab] = {1.0f, 3.0f, 2.0f, -1.0f, 0.5f,   // beam 0
                                   4.0f, 0.0f, 4.5f, 1.0f,  2.0f};  // beam 1
  const float running_scores[2] = {-0.25f, -2.0f};
  t5::BeamCandidate out[4];
  t5::top_continuations(logits, 2, vocab, running_scores, 4, out);
  auto log_prob = [&](int beam, int token) {
    const float* row = logits + beam * vocab;
    double sum = 0;
    for (int t = 0; t < vocab; ++t) sum += std::exp(static_cast<double>(row[t]));
    return row[token] - std::log(sum);
  };
  const int expected[4][2] = {{0, 1}, {0, 2}, {1, 2}, {0, 0}};  // -0.722, -1.722, -2.548, -2.722
  for (int k = 0; k < 4; ++k) {
    EXPECT_EQ(out[k].beam, expected[k][0]) << k;
    EXPECT_EQ(out[k].token, expected[k][1]) << k;
    EXPECT_NEAR(out[k].score, running_scores[expected[k][0]] + log_prob(expected[k][0], expected[k][1]), 1e-6) << k;
  }
}

TEST(TopContinuations, StaysFiniteForHugeLogitsAndKeepsTiesInIdOrder) {
  const int vocab = 40;  // past one 16-wide block, with a scalar tail
  std::vector<float> logits(vocab, -3.0f);
  logits[33] = 1000.0f;
  logits[37] = 1000.0f;
  logits[5] = 999.0f;
  const float running_scores[1] = {0.0f};
  t5::BeamCandidate out[4];
  t5::top_continuations(logits.data(), 1, vocab, running_scores, 4, out);
  const double log_sum = 1000.0 + std::log(2.0 + std::exp(-1.0) + 37 * std::exp(-1003.0));
  EXPECT_EQ(out[0].token, 33);
  EXPECT_EQ(out[1].token, 37);
  EXPECT_EQ(out[2].token, 5);
  EXPECT_EQ(out[3].token, 0);  // the first of the tied -3.0 logits
  EXPECT_NEAR(out[0].score, 1000.0 - log_sum, 1e-5);
  EXPECT_NEAR(out[2].score, 999.0 - log_sum, 1e-5);
  EXPECT_NEAR(out[3].score, -3.0 - log_sum, 2e-4);  // fp32 spacing near 1004 is 1.2e-4
}

TEST(BeamSearchStep, OnlyEosWithinTheFirstKRanksFinishesAndTheBestOthersRunOn) {
  t5::BeamSearch search;
  t5::start_beam_search(search, beam_options(2, 1.0, t5::EarlyStopping::False, 10), kEos);
  EXPECT_EQ(search.running_scores, (std::vector<float>{0.0f, -1e9f}));

  const t5::BeamCandidate first[4] = {{-0.1f, 0, kEos}, {-0.5f, 0, 7}, {-0.9f, 0, 8}, {-1.2f, 0, 9}};
  ASSERT_TRUE(t5::advance_beam_search(search, first));
  EXPECT_EQ(hypothesis(search, 0), (std::vector<int32_t>{kEos}));
  EXPECT_FLOAT_EQ(search.hypothesis_scores[0], -0.1f);  // length 1
  EXPECT_TRUE(search.hypothesis_done[0]);
  EXPECT_FALSE(search.hypothesis_done[1]);  // a placeholder until K hypotheses finish
  EXPECT_EQ(search.running_scores, (std::vector<float>{-0.5f, -0.9f}));
  EXPECT_EQ(search.parents, (std::vector<int>{0, 0}));
  EXPECT_EQ(running(search, 0), (std::vector<int32_t>{7}));
  EXPECT_EQ(running(search, 1), (std::vector<int32_t>{8}));

  // EOS at rank 2 (>= K) neither finishes nor runs on.
  const t5::BeamCandidate second[4] = {{-0.6f, 1, 5}, {-0.7f, 0, 6}, {-0.8f, 1, kEos}, {-2.0f, 0, 3}};
  ASSERT_TRUE(t5::advance_beam_search(search, second));
  EXPECT_FALSE(search.hypothesis_done[1]);
  EXPECT_EQ(search.parents, (std::vector<int>{1, 0}));
  EXPECT_EQ(running(search, 0), (std::vector<int32_t>{8, 5}));
  EXPECT_EQ(running(search, 1), (std::vector<int32_t>{7, 6}));
  EXPECT_EQ(search.running_scores, (std::vector<float>{-0.6f, -0.7f}));

  // A second hypothesis, scored per generated token (3 with EOS): -1.5 / 3 = -0.5, ranked after -0.1.
  const t5::BeamCandidate third[4] = {{-1.0f, 1, 4}, {-1.5f, 0, kEos}, {-1.6f, 0, 2}, {-1.7f, 1, 2}};
  ASSERT_TRUE(t5::advance_beam_search(search, third));  // best running -1.0 / 3 beats the worst kept -0.5
  EXPECT_EQ(hypothesis(search, 1), (std::vector<int32_t>{8, 5, kEos}));
  EXPECT_FLOAT_EQ(search.hypothesis_scores[1], -0.5f);
  EXPECT_TRUE(search.hypothesis_done[1]);
  EXPECT_EQ(running(search, 0), (std::vector<int32_t>{7, 6, 4}));
  EXPECT_EQ(running(search, 1), (std::vector<int32_t>{8, 5, 2}));

  // A better hypothesis (-1.2 / 4) displaces the worst; then the best running beam, -2.4 / 4, cannot beat it.
  const t5::BeamCandidate fourth[4] = {{-1.2f, 0, kEos}, {-2.4f, 0, 3}, {-2.5f, 1, 3}, {-2.6f, 1, kEos}};
  EXPECT_FALSE(t5::advance_beam_search(search, fourth));
  EXPECT_EQ(hypothesis(search, 0), (std::vector<int32_t>{kEos}));
  EXPECT_EQ(hypothesis(search, 1), (std::vector<int32_t>{7, 6, 4, kEos}));
  EXPECT_FLOAT_EQ(search.hypothesis_scores[1], -0.3f);
}

TEST(BeamSearchStep, LengthPenaltyDividesBySequenceLengthToItsPower) {
  t5::BeamSearch search;
  t5::start_beam_search(search, beam_options(2, 2.0, t5::EarlyStopping::False, 10), kEos);
  const t5::BeamCandidate first[4] = {{-0.5f, 0, 7}, {-0.9f, 0, 8}, {-1.0f, 0, kEos}, {-1.2f, 0, 9}};
  ASSERT_TRUE(t5::advance_beam_search(search, first));
  const t5::BeamCandidate second[4] = {{-1.0f, 1, kEos}, {-1.1f, 0, 3}, {-1.3f, 0, 4}, {-1.4f, 1, 5}};
  ASSERT_TRUE(t5::advance_beam_search(search, second));
  EXPECT_EQ(hypothesis(search, 0), (std::vector<int32_t>{8, kEos}));
  EXPECT_FLOAT_EQ(search.hypothesis_scores[0], -0.25f);  // -1.0 / 2^2
}

// A hypothesis of -0.9 after 1 token, one of -0.4 after 2, then a step whose best running beam has -3.0.
struct StoppingCase {
  t5::EarlyStopping early_stopping;
  double length_penalty;
  bool continues_after_two;
  bool continues_after_three;
};

bool run_stopping_case(const StoppingCase& c, bool* after_two) {
  t5::BeamSearch search;
  t5::start_beam_search(search, beam_options(2, c.length_penalty, c.early_stopping, 10), kEos);
  const t5::BeamCandidate first[4] = {{-0.1f, 0, 7}, {-0.9f, 0, kEos}, {-1.0f, 0, 8}, {-1.2f, 0, 9}};
  EXPECT_TRUE(t5::advance_beam_search(search, first));  // one hypothesis: the other slot is a placeholder
  const t5::BeamCandidate second[4] = {{-0.4f, 0, kEos}, {-0.5f, 0, 4}, {-1.1f, 1, 4}, {-1.2f, 1, 5}};
  *after_two = t5::advance_beam_search(search, second);
  EXPECT_FLOAT_EQ(search.hypothesis_scores[0], -0.4f / static_cast<float>(std::pow(2.0, c.length_penalty)));
  EXPECT_FLOAT_EQ(search.hypothesis_scores[1], -0.9f);
  if (!*after_two) return false;
  const t5::BeamCandidate third[4] = {{-3.0f, 0, 5}, {-3.1f, 1, 5}, {-3.2f, 0, 6}, {-3.3f, 1, 6}};
  return t5::advance_beam_search(search, third);
}

TEST(BeamSearchStep, EachEarlyStoppingModeStopsByItsRule) {
  const StoppingCase cases[] = {
      // True: stop as soon as K hypotheses have finished.
      {t5::EarlyStopping::True, 1.0, false, false},
      // False: the best running beam scored at its current length: -0.5 / 2 > -0.9, then -3.0 / 3 < -0.9.
      {t5::EarlyStopping::False, 1.0, true, false},
      // "never" with a positive penalty scores it at max_length (10): -3.0 / 10 > -0.9 still.
      {t5::EarlyStopping::Never, 1.0, true, true},
      // "never" without a positive penalty falls back to the current length: -0.5 > -0.9, then -3.0 < -0.9.
      {t5::EarlyStopping::Never, 0.0, true, false},
  };
  for (const StoppingCase& c : cases) {
    bool after_two = false;
    const bool after_three = run_stopping_case(c, &after_two);
    EXPECT_EQ(after_two, c.continues_after_two) << static_cast<int>(c.early_stopping) << " " << c.length_penalty;
    EXPECT_EQ(after_three, c.continues_after_three) << static_cast<int>(c.early_stopping) << " " << c.length_penalty;
  }
}

TEST(BeamSearchStep, AtMaxLengthTheFirstKRanksAreFinalized) {
  t5::BeamSearch search;
  t5::start_beam_search(search, beam_options(2, 1.0, t5::EarlyStopping::False, 2), kEos);
  const t5::BeamCandidate first[4] = {{-0.1f, 0, 7}, {-0.3f, 0, 8}, {-3.0f, 0, 9}, {-4.0f, 0, kEos}};
  ASSERT_TRUE(t5::advance_beam_search(search, first));
  const t5::BeamCandidate last[4] = {{-0.4f, 1, 5}, {-0.8f, 0, 6}, {-0.9f, 0, kEos}, {-1.0f, 1, 2}};
  EXPECT_FALSE(t5::advance_beam_search(search, last));
  EXPECT_EQ(hypothesis(search, 0), (std::vector<int32_t>{8, 5}));
  EXPECT_FLOAT_EQ(search.hypothesis_scores[0], -0.2f);
  EXPECT_EQ(hypothesis(search, 1), (std::vector<int32_t>{7, 6}));
  EXPECT_FLOAT_EQ(search.hypothesis_scores[1], -0.4f);
  EXPECT_TRUE(search.hypothesis_done[0] && search.hypothesis_done[1]);
}

class BeamSearchTest : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { T5_REQUIRE_SHARED_DATA(); }
};

t5::EarlyStopping parse_early_stopping(const std::string& value) {
  if (value == "true") return t5::EarlyStopping::True;
  if (value == "never") return t5::EarlyStopping::Never;
  return t5::EarlyStopping::False;
}

TEST_P(BeamSearchTest, Beam4OutputsAndScoresMatchTransformers) {
  t5::Engine engine(t5test::shared_model(), 2);
  engine.set_switches(t5bench::parse_configuration(GetParam()));
  int cases = 0, equal = 0, near_ties = 0;
  double worst_score_error = 0;
  for (const char* file : {"suite-dev.json", "suite-dev-long.json", "suite-seed.json"}) {
    const t5bench::ReferenceSuite suite = t5bench::load_reference_suite(t5test::reference_path(file));
    const t5::BeamOptions options =
        beam_options(suite.beam.num_beams, suite.beam.length_penalty, parse_early_stopping(suite.beam.early_stopping),
                     suite.beam.max_new_tokens);
    for (const t5bench::ReferenceCase& c : suite.cases) {
      if (!c.beam4) continue;
      const t5::Generation g = engine.generate_beam(c.beam4->input_ids, options);
      ++cases;
      EXPECT_FALSE(g.step_seconds.empty());
      EXPECT_LE(g.step_seconds.size(), static_cast<size_t>(options.max_new_tokens));
      EXPECT_GE(g.total_seconds, g.first_token_seconds);
      // Our scores follow the reference's to a few 1e-6 where the outputs agree, so an output that differs
      // is excused only when it scores within 1e-4 of the reference's: two hypotheses tied in the reference,
      // which any change of summation order may swap. Anything else is a wrong output.
      const double error = std::fabs(g.sequence_score - c.beam4->sequence_score);
      EXPECT_LE(error, 1e-4) << file << " " << c.id << ": score " << g.sequence_score << ", reference "
                             << c.beam4->sequence_score
                             << (g.output_ids == c.beam4->output_ids ? "" : " (and the output differs)");
      worst_score_error = std::max(worst_score_error, error);
      if (g.output_ids == c.beam4->output_ids) {
        ++equal;
      } else if (error <= 1e-4) {
        ++near_ties;
        std::printf("[%s] %s %s: a near-tie hypothesis (score %.7f, reference %.7f)\n", GetParam().c_str(), file,
                    c.id.c_str(), g.sequence_score, c.beam4->sequence_score);
      }
    }
  }
  EXPECT_EQ(cases, 115);
  std::printf("[%s] beam4: %d/%d equal, %d near-tie hypotheses, max score error %.3g\n", GetParam().c_str(), equal,
              cases, near_ties, worst_score_error);
}

INSTANTIATE_TEST_SUITE_P(Configurations, BeamSearchTest, testing::Values("baseline", "optimized"));

TEST(BeamSearch, RefusesImpossibleOptions) {
  T5_REQUIRE_SHARED_DATA();
  const t5::Model* model = &t5test::shared_model();
  t5::Engine engine(*model, 2);
  auto error = [&](const t5::BeamOptions& options) -> std::string {
    try {
      engine.generate_beam({5, 1}, options);
    } catch (const t5::Error& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(error(beam_options(0, 1.0, t5::EarlyStopping::False, 4)), "beam search: num_beams 0 is outside [1, 16064]");
  EXPECT_EQ(error(beam_options(2, 1.0, t5::EarlyStopping::False, 0)), "beam search: max_new_tokens must be at least 1");
  EXPECT_EQ(error(beam_options(2, 1.0, t5::EarlyStopping::True, 1)), "no error");
}

}  // namespace
