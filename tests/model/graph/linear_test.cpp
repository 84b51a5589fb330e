// The projection ops as the graph runs them: split over a thread pool, every kernel choice agreeing.

#include "graph/linear.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "core/thread_pool.h"
#include "kernels/activation.h"
#include "support/isa_tiers.h"

namespace {

struct Data {
  std::vector<float> in, weights;
  t5::WeightMatrix w;
  Data(int m, int n, int k) : in(static_cast<size_t>(m) * k), weights(static_cast<size_t>(n) * k) {
    std::mt19937 rng(static_cast<unsigned>(m + n + k));
    std::normal_distribution<float> normal(0.0f, 1.0f);
    for (float& v : in) v = normal(rng);
    for (float& v : weights) v = 0.05f * normal(rng);
    w.rows = n, w.cols = k, w.data = weights.data();
  }
};

float max_difference(const std::vector<float>& a, const std::vector<float>& b) {
  float worst = 0;
  for (size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::fabs(a[i] - b[i]));
  return worst;
}

t5::Switches with(bool blocked_gemm, bool blocked_gemv, bool fused_projections) {
  t5::Switches s;
  s.blocked_gemm = blocked_gemm;
  s.blocked_gemv = blocked_gemv;
  s.fused_projections = fused_projections;
  return s;
}

class LinearTest : public t5test::TierTest {};

// Regression: tasks on the workers once packed only their own panels into their own thread's buffer, so every
// row past the first 32-row panel was garbage in multi-threaded runs.
TEST_P(LinearTest, EncodeProductsAgreeAcrossKernelsAndPanels) {
  t5::ThreadPool pool(3);
  for (int m : {1, 18, 33, 70, 256}) {
    const Data d(m, 300, 256);
    std::vector<float> sgemm(static_cast<size_t>(m) * 300), blocked(sgemm.size());
    t5::Exec a{pool, with(false, false, false), nullptr, nullptr};
    t5::Exec b{pool, with(true, false, false), nullptr, nullptr};
    t5::linear(a, t5::Phase::Encode, d.in.data(), 256, m, d.w, sgemm.data(), 300, false);
    t5::linear(b, t5::Phase::Encode, d.in.data(), 256, m, d.w, blocked.data(), 300, false);
    EXPECT_LE(max_difference(sgemm, blocked), 2e-5f) << "m = " << m;
  }
}

// Each thread packs a product's panels for itself once per product: the next product must pack again even
// when its activations lie in the same buffer, with the same shape, as the last one's.
TEST_P(LinearTest, EveryProductPacksItsOwnActivations) {
  t5::ThreadPool pool(2);
  const int m = 70;
  Data d(m, 300, 256);
  t5::Exec sgemm_exec{pool, with(false, false, false), nullptr, nullptr};
  t5::Exec blocked_exec{pool, with(true, false, false), nullptr, nullptr};
  std::vector<float> first(static_cast<size_t>(m) * 300), expected(first.size()), second(first.size());
  t5::linear(blocked_exec, t5::Phase::Encode, d.in.data(), 256, m, d.w, first.data(), 300, false);
  for (float& v : d.in) v = -2.0f * v + 0.25f;
  t5::linear(sgemm_exec, t5::Phase::Encode, d.in.data(), 256, m, d.w, expected.data(), 300, false);
  t5::linear(blocked_exec, t5::Phase::Encode, d.in.data(), 256, m, d.w, second.data(), 300, false);
  EXPECT_GT(max_difference(first, expected), 1.0f);
  EXPECT_LE(max_difference(second, expected), 2e-5f);
}

TEST_P(LinearTest, DecodeProductsAgreeAcrossKernels) {
  t5::ThreadPool pool(2);
  for (int m : {1, 4, 9}) {
    const Data d(m, 257, 384);
    std::vector<float> blas(static_cast<size_t>(m) * 257, 1.0f), ours(blas.size(), 1.0f);
    t5::Exec a{pool, with(false, false, false), nullptr, nullptr};
    t5::Exec b{pool, with(false, true, false), nullptr, nullptr};
    t5::linear(a, t5::Phase::Decode, d.in.data(), 384, m, d.w, blas.data(), 257, true);
    t5::linear(b, t5::Phase::Decode, d.in.data(), 384, m, d.w, ours.data(), 257, true);
    EXPECT_LE(max_difference(blas, ours), 2e-5f) << "m = " << m;
  }
}

TEST_P(LinearTest, FusedAndSeparateProjectionsAreTheSameProducts) {
  t5::ThreadPool pool(2);
  const int m = 40, inner = 96, d_model = 64;
  const Data d(m, 3 * inner, d_model);
  std::vector<float> exact(static_cast<size_t>(m) * 3 * inner);
  for (int i = 0; i < m; ++i)
    for (int n = 0; n < 3 * inner; ++n) {
      double sum = 0;
      for (int k = 0; k < d_model; ++k)
        sum += double(d.in[static_cast<size_t>(i) * d_model + k]) * d.weights[static_cast<size_t>(n) * d_model + k];
      exact[static_cast<size_t>(i) * 3 * inner + n] = static_cast<float>(sum);
    }
  for (const t5::Phase phase : {t5::Phase::Encode, t5::Phase::Decode}) {
    // What the switch changes: one product over the packed Q|K|V rows, or one per part. Our kernels sum each
    // output the same way whatever its range, so both are the same bits.
    std::vector<float> fused(exact.size()), separate(exact.size());
    t5::Exec f{pool, with(true, true, true), nullptr, nullptr};
    t5::Exec s{pool, with(true, true, false), nullptr, nullptr};
    t5::linear_parts(f, phase, d.in.data(), d_model, m, d.w, 3, fused.data());
    t5::linear_parts(s, phase, d.in.data(), d_model, m, d.w, 3, separate.data());
    EXPECT_EQ(fused, separate);
    EXPECT_LE(max_difference(fused, exact), 2e-5f);
    // OpenBLAS picks its kernels by shape and promises no bits: each form is held to the exact product.
    t5::Exec blas_fused{pool, with(false, false, true), nullptr, nullptr};
    t5::Exec blas_separate{pool, with(false, false, false), nullptr, nullptr};
    t5::linear_parts(blas_fused, phase, d.in.data(), d_model, m, d.w, 3, fused.data());
    t5::linear_parts(blas_separate, phase, d.in.data(), d_model, m, d.w, 3, separate.data());
    EXPECT_LE(max_difference(fused, exact), 2e-5f);
    EXPECT_LE(max_difference(separate, exact), 2e-5f);
  }
}

TEST_P(LinearTest, GatedFeedForwardEpilogueEqualsTheSeparatePasses) {
  t5::ThreadPool pool(2);
  const int m = 37, ff = 120, d_model = 64;
  const Data d(m, 2 * ff, d_model);
  for (const t5::Phase phase : {t5::Phase::Encode, t5::Phase::Decode}) {
    std::vector<float> scratch(static_cast<size_t>(m) * 2 * ff), fused(static_cast<size_t>(m) * ff), separate(fused.size());
    t5::Exec f{pool, with(true, true, true), nullptr, nullptr};
    t5::Exec s{pool, with(true, true, false), nullptr, nullptr};
    t5::feed_forward_in(f, phase, d.in.data(), m, d.w, true, t5::Activation::GeluTanh, scratch.data(), fused.data());
    t5::feed_forward_in(s, phase, d.in.data(), m, d.w, true, t5::Activation::GeluTanh, scratch.data(), separate.data());
    EXPECT_EQ(fused, separate);
    // And it is act(in · wi_0) * (in · wi_1).
    std::vector<float> gate(static_cast<size_t>(m) * ff), up(gate.size()), expected(gate.size());
    t5::linear(s, phase, d.in.data(), d_model, m, d.w.row_slice(0, ff), gate.data(), ff, false);
    t5::linear(s, phase, d.in.data(), d_model, m, d.w.row_slice(ff, ff), up.data(), ff, false);
    t5::gated_activate(t5::Activation::GeluTanh, gate.data(), up.data(), m * ff, expected.data());
    EXPECT_EQ(fused, expected);
  }
}

// OpenBLAS's sgemm sums an output in an order that depends on the shape of the call: the baseline's products
// must not take their call shapes from timing (which thread finishes first), or its outputs vary from run to
// run. Repeated, the same product is the same bits, encoder and batched decode alike. No tier of ours takes
// part, so it runs once.
TEST(Linear, SgemmProductsAreTheSameBitsEveryRun) {
  t5::ThreadPool pool(2);
  t5::Exec baseline{pool, with(false, false, false), nullptr, nullptr};
  for (const t5::Phase phase : {t5::Phase::Encode, t5::Phase::Decode}) {
    const int m = phase == t5::Phase::Encode ? 20 : 4;
    const Data d(m, 384, 256);
    std::vector<float> first(static_cast<size_t>(m) * 384), again(first.size());
    t5::linear(baseline, phase, d.in.data(), 256, m, d.w, first.data(), 384, false);
    int differing_runs = 0;
    for (int run = 0; run < 800; ++run) {
      t5::linear(baseline, phase, d.in.data(), 256, m, d.w, again.data(), 384, false);
      differing_runs += again != first;
    }
    EXPECT_EQ(differing_runs, 0) << (phase == t5::Phase::Encode ? "encode" : "decode");
  }
}

INSTANTIATE_TEST_SUITE_P(Tiers, LinearTest, t5test::host_tiers(), t5test::tier_name);

}  // namespace
