#include "kernels/dispatch.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/error.h"
#include "support/isa_tiers.h"

namespace {

class DispatchTest : public t5test::TierTest {};

TEST_P(DispatchTest, TheActiveTableIsTheTiers) {
  EXPECT_EQ(t5::kernels().tier, GetParam());
  EXPECT_EQ(t5::active_isa_tier(), GetParam());
  // Only the tier with bf16 dot products packs bf16 panels.
  EXPECT_EQ(t5::kernels().pack_bf16_pairs != nullptr, GetParam() == t5::IsaTier::Avx512Bf16);
}

TEST_P(DispatchTest, SumExpMatchesDoublePrecision) {
  for (int n : {1, 5, 8, 16, 31, 32128}) {
    std::vector<float> x(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) x[static_cast<size_t>(i)] = 12.0f * std::cos(0.37f * i);
    double expected = 0;
    for (float v : x) expected += std::exp(double(v) - 12.0);
    EXPECT_NEAR(t5::kernels().sum_exp(x.data(), n, 12.0f), expected, 2e-6 * expected) << "n " << n;
  }
}

TEST_P(DispatchTest, NextGreaterFindsTheFirstLargerValue) {
  std::vector<float> x(100, 0.0f);
  x[3] = 2.0f, x[17] = 1.5f, x[64] = 3.0f, x[99] = 1.0f;
  const t5::KernelTable& k = t5::kernels();
  EXPECT_EQ(k.next_greater(x.data(), 0, 100, 0.5f), 3);
  EXPECT_EQ(k.next_greater(x.data(), 4, 100, 0.5f), 17);
  EXPECT_EQ(k.next_greater(x.data(), 18, 100, 1.0f), 64);  // 1.0 at 99 is not greater
  EXPECT_EQ(k.next_greater(x.data(), 65, 100, 1.0f), 100);
  EXPECT_EQ(k.next_greater(x.data(), 65, 99, 0.5f), 99);   // the end, exclusive
  EXPECT_EQ(k.next_greater(x.data(), 100, 100, -1.0f), 100);
}

TEST_P(DispatchTest, SumFloatsAddsEveryValue) {
  for (size_t n : {size_t{0}, size_t{3}, size_t{64}, size_t{1000}, size_t{4099}}) {
    std::vector<float> x(n);
    double expected = 0;
    for (size_t i = 0; i < n; ++i) expected += (x[i] = static_cast<float>(i % 7) * 0.25f);
    EXPECT_NEAR(t5::kernels().sum_floats(x.data(), n), expected, 1e-6 * expected) << "n " << n;
  }
}

INSTANTIATE_TEST_SUITE_P(Tiers, DispatchTest, t5test::host_tiers(), t5test::tier_name);

// Sets T5BENCH_ISA for a scope.
class IsaEnvironment {
 public:
  explicit IsaEnvironment(const char* value) { setenv("T5BENCH_ISA", value, 1); }
  ~IsaEnvironment() { unsetenv("T5BENCH_ISA"); }
};

TEST(IsaTierFromEnvironment, UnsetMeansTheBestTheHostRuns) {
  unsetenv("T5BENCH_ISA");
  EXPECT_EQ(t5::isa_tier_from_environment(), t5::host_isa_tiers().back());
}

TEST(IsaTierFromEnvironment, NamesEveryTierTheHostRuns) {
  for (t5::IsaTier tier : t5::host_isa_tiers()) {
    const IsaEnvironment env(t5::isa_tier_name(tier));
    EXPECT_EQ(t5::isa_tier_from_environment(), tier);
  }
}

TEST(IsaTierFromEnvironment, AnUnknownNameIsAnError) {
  const IsaEnvironment env("avx9000");
  try {
    t5::isa_tier_from_environment();
    FAIL() << "no error";
  } catch (const t5::Error& e) {
    EXPECT_STREQ(e.what(), "T5BENCH_ISA=avx9000: unknown instruction-set tier (generic, avx2, avx512, avx512_bf16)");
  }
}

TEST(IsaTierFromEnvironment, ATierTheHostLacksIsAnError) {
  const std::vector<t5::IsaTier>& host = t5::host_isa_tiers();
  if (host.back() == t5::IsaTier::Avx512Bf16) GTEST_SKIP() << "this host runs every tier";
  const IsaEnvironment env("avx512_bf16");
  try {
    t5::isa_tier_from_environment();
    FAIL() << "no error";
  } catch (const t5::Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("T5BENCH_ISA=avx512_bf16: this CPU lacks ", 0), 0u) << e.what();
  }
}

}  // namespace
