// The encoder and decoder reproduce transformers' intermediate tensors (../shared/reference/golden*.safetensors)
// in both configurations at every kernel tier: each block's output, the final norms and the logits, within 1e-4
// (the baseline: 2e-4, below).
//
// Each stack is checked from the reference's own inputs: the encoder from the input ids, the decoder from
// transformers' encoder output. Both fp32 encoders sit 3-7e-6 from a float64 computation at the final norm,
// and this model's cross-attention scores reach 600-900, which magnifies any encoder difference about 30x
// in the decoder; chaining our encoder into the decoder would measure that amplification, not the decoder.
// End-to-end agreement is checked on tokens and logits by the generation tests.

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <tuple>

#include "support/isa_tiers.h"
#include "support/shared_data.h"
#include "t5.h"

namespace {

constexpr float kTolerance = 1e-4f;  // fp32 against fp32: only summation order differs

// The baseline's products are OpenBLAS's, whose kernels (chosen by the host and OPENBLAS_CORETYPE) sum each
// output in long chains, in an order that depends on the shape of each call; each thread's share of a product
// is fixed (graph/linear.cpp), so its outputs are too, for a given OpenBLAS kernel set. Token 16 of p0 is
// ill-conditioned: its block-3 attention turns ulp-level differences in q and k into 1e-4 in the block's
// output. Against a float64 computation of these tensors (scripts/golden_f64.py: transformers in float64 on
// the same inputs, on the GPU machine), on the Zen 5 host, two threads as below, at every tier under each of
// OpenBLAS's x86-64 kernel sets (OPENBLAS_CORETYPE Nehalem, Sandybridge, Haswell, Zen, SkylakeX, Cooperlake,
// SapphireRapids): the baseline ends 5.6e-5 to 1.92e-4 from float64 (Cooperlake's kernels at the avx512
// tiers the farthest) and 4.7e-5 to 1.82e-4 from transformers' fp32 tensors, which are 5.6e-5 from float64.
// With every kernel set measured, the tolerance is the largest of those distances rounded up: 2e-4. (Until
// 2026-11-29 it was 1.5e-4, from 12 runs of a split that varied with timing; CI met a split 1.545e-4 away.)
// The configuration with our kernels sits 5.6e-5 to 8.2e-5 from float64 and holds 1e-4.
constexpr float kBaselineTolerance = 2e-4f;

struct Traced {
  std::map<std::string, std::vector<float>> rows;  // name -> concatenated rows, in call order
};

t5::Tracer recorder(Traced& traced) {
  return [&traced](const std::string& name, const float* data, int rows, int cols) {
    std::vector<float>& out = traced.rows[name];
    out.insert(out.end(), data, data + static_cast<size_t>(rows) * cols);
  };
}

// Compares traced tensors with the golden ones, each within tolerance_, and keeps the largest difference.
template <typename Param>
class GoldenComparison : public testing::TestWithParam<Param> {
 protected:
  void SetUp() override { T5_REQUIRE_SHARED_DATA(); }

  // Largest absolute difference; counts it against the tolerance and the running maximum.
  float compare(const std::string& name, const std::vector<float>& got, const std::vector<float>& want) {
    EXPECT_EQ(got.size(), want.size()) << name;
    float worst = 0;
    for (size_t i = 0; i < std::min(got.size(), want.size()); ++i) worst = std::max(worst, std::fabs(got[i] - want[i]));
    EXPECT_LE(worst, tolerance_) << name;
    largest_ = std::max(largest_, worst);
    return worst;
  }

  float largest_ = 0;
  float tolerance_ = kTolerance;
};

// Each configuration at each tier the host runs.
class GoldenTest : public GoldenComparison<std::tuple<std::string, t5::IsaTier>> {
 protected:
  static t5::Switches switches_for(const std::string& config) {
    return config == "baseline" ? t5::Switches::baseline() : t5::Switches::optimized();
  }
};

class GoldenLongTest : public GoldenComparison<t5::IsaTier> {};

TEST_P(GoldenTest, EncoderDecoderAndLogitsMatchTransformers) {
  const std::string config = std::get<0>(GetParam());
  const t5test::ActiveTier tier(std::get<1>(GetParam()));
  if (config == "baseline") tolerance_ = kBaselineTolerance;
  const std::string label = config + ", " + t5::isa_tier_name(std::get<1>(GetParam()));
  const t5::T5Config& c = t5test::shared_model().config();
  t5::SafetensorsFile golden(t5test::reference_path("golden.safetensors"));
  t5::ThreadPool pool(2);
  for (const std::string p : {"p0.", "p1."}) {
    const std::vector<int32_t> ids = t5test::read_i64(golden, p + "input_ids");
    const std::vector<int32_t> decoder_ids = t5test::read_i64(golden, p + "decoder_input_ids");
    Traced traced;
    const t5::Tracer tracer = recorder(traced);
    t5::Exec exec{pool, switches_for(config), nullptr, &tracer};

    const int length = static_cast<int>(ids.size());
    std::vector<float> hidden(static_cast<size_t>(length) * c.d_model);
    t5::EncoderWorkspace workspace;
    t5::encode(exec, t5test::shared_model(), ids.data(), {length}, workspace, hidden.data());
    const std::vector<float> reference_hidden = t5test::read_f32(golden, p + "encoder.final_layer_norm.out");
    t5::DecoderState state;
    t5::start_decoding(exec, t5test::shared_model(), state, {{reference_hidden.data(), length}}, {0},
                       static_cast<int>(decoder_ids.size()));
    std::vector<float> logits, step_logits(static_cast<size_t>(c.vocab_size));
    const int row = 0;
    for (int32_t token : decoder_ids) {
      t5::decode_step(exec, t5test::shared_model(), state, &token, &row, 1, step_logits.data());
      logits.insert(logits.end(), step_logits.begin(), step_logits.end());
    }

    for (int l = 0; l < c.num_layers; ++l) {
      const std::string name = "encoder.block." + std::to_string(l) + ".out";
      compare(p + name, traced.rows[name], t5test::read_f32(golden, p + name));
    }
    for (int l = 0; l < c.num_decoder_layers; ++l) {
      const std::string name = "decoder.block." + std::to_string(l) + ".out";
      compare(p + name, traced.rows[name], t5test::read_f32(golden, p + name));
    }
    for (const std::string name : {"encoder.final_layer_norm.out", "decoder.final_layer_norm.out"})
      compare(p + name, traced.rows[name], t5test::read_f32(golden, p + name));
    const float logit_error = compare(p + "logits", logits, t5test::read_f32(golden, p + "logits"));
    std::printf("[%s] %slogits max abs error %.3g\n", label.c_str(), p.c_str(), logit_error);
  }
  std::printf("[%s] largest abs error over every golden tensor: %.3g\n", label.c_str(), largest_);
  RecordProperty("largest_abs_error", std::to_string(largest_));
}

// The 256-token pass in the library's default configuration. Its products run through our blocked GEMM,
// whose 32-term block sums end 2.3e-5 from a float64 computation of this pass (transformers' own fp32
// output: 5e-5). OpenBLAS's kernels as this environment selects them (OPENBLAS_CORETYPE=Haswell) sum
// each output in one long chain and end 2e-4 from float64 here, so the baseline configuration is held
// to the reference suites (tokens and logits) for long inputs rather than to this tensor.
TEST_P(GoldenLongTest, LongEncoderPassMatchesTransformers) {
  const t5test::ActiveTier tier(GetParam());
  t5::SafetensorsFile golden(t5test::reference_path("golden-long.safetensors"));
  const std::vector<int32_t> ids = t5test::read_i64(golden, "long.input_ids");
  t5::ThreadPool pool(2);
  t5::Exec exec{pool, t5::Switches::optimized(), nullptr, nullptr};
  std::vector<float> hidden(ids.size() * static_cast<size_t>(t5test::shared_model().config().d_model));
  t5::EncoderWorkspace workspace;
  t5::encode(exec, t5test::shared_model(), ids.data(), {static_cast<int>(ids.size())}, workspace, hidden.data());
  const float error = compare("long.encoder.last_hidden_state", hidden, t5test::read_f32(golden, "long.encoder.last_hidden_state"));
  std::printf("[optimized, %s] %zu-token encoder max abs error %.3g\n", t5::isa_tier_name(GetParam()), ids.size(),
              error);
}

INSTANTIATE_TEST_SUITE_P(Configurations, GoldenTest,
                         testing::Combine(testing::Values("baseline", "optimized"), t5test::host_tiers()),
                         [](const auto& info) {
                           return std::get<0>(info.param) + "_" + t5::isa_tier_name(std::get<1>(info.param));
                         });
INSTANTIATE_TEST_SUITE_P(Tiers, GoldenLongTest, t5test::host_tiers(), t5test::tier_name);

}  // namespace
