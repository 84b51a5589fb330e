#include "kernels/activation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "support/isa_tiers.h"

namespace {

class ActivationTest : public t5test::TierTest {};

double gelu_new(double x) { return 0.5 * x * (1 + std::tanh(std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x))); }

TEST_P(ActivationTest, GatedGeluIsTheTanhApproximationTimesUp) {
  std::vector<float> gate, up;
  for (float x = -12.0f; x <= 12.0f; x += 0.0173f) {
    gate.push_back(x);
    up.push_back(1.5f - 0.1f * x);
  }
  gate.push_back(-100.0f), up.push_back(1.0f);  // saturated tails
  gate.push_back(100.0f), up.push_back(1.0f);
  std::vector<float> out(gate.size());
  t5::gated_activate(t5::Activation::GeluTanh, gate.data(), up.data(), static_cast<int>(gate.size()), out.data());
  for (size_t i = 0; i < out.size(); ++i)
    ASSERT_NEAR(out[i], gelu_new(gate[i]) * up[i], 2e-6 * std::max(1.0, std::fabs(gelu_new(gate[i]) * up[i])))
        << "x = " << gate[i];
  // gelu_new differs from the erf form by up to ~1e-3: make sure it is the tanh one.
  std::vector<float> one{1.0f}, unit{1.0f}, result(1);
  t5::gated_activate(t5::Activation::GeluTanh, one.data(), unit.data(), 1, result.data());
  EXPECT_NEAR(result[0], 0.8411920071f, 1e-6);
  t5::gated_activate(t5::Activation::GeluErf, one.data(), unit.data(), 1, result.data());
  EXPECT_NEAR(result[0], 0.8413447460f, 1e-6);
}

TEST_P(ActivationTest, ReluAndSilu) {
  std::vector<float> x{-2.0f, -0.5f, 0.0f, 0.5f, 3.0f}, out(5);
  t5::activate(t5::Activation::Relu, x.data(), 5, out.data());
  EXPECT_EQ(out, (std::vector<float>{0, 0, 0, 0.5f, 3.0f}));
  t5::activate(t5::Activation::Silu, x.data(), 5, out.data());
  for (size_t i = 0; i < x.size(); ++i) EXPECT_NEAR(out[i], x[i] / (1 + std::exp(-x[i])), 1e-6);
}

INSTANTIATE_TEST_SUITE_P(Tiers, ActivationTest, t5test::host_tiers(), t5test::tier_name);

}  // namespace
