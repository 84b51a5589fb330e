#pragma once

// Kernel tests run once for each instruction-set tier this CPU runs (model/kernels/isa.h), as Highway's tests
// run once per compiled target:
//   class GemvTierTest : public t5test::TierTest {};
//   TEST_P(GemvTierTest, ...) { ... }
//   INSTANTIATE_TEST_SUITE_P(Tiers, GemvTierTest, t5test::host_tiers(), t5test::tier_name);

#include <gtest/gtest.h>

#include <string>

#include "kernels/dispatch.h"

namespace t5test {

// Every tier the host runs, lowest first, as test parameters.
testing::internal::ParamGenerator<t5::IsaTier> host_tiers();
std::string tier_name(const testing::TestParamInfo<t5::IsaTier>& info);

// Makes `tier` the active one for a scope, then restores the one before.
class ActiveTier {
 public:
  explicit ActiveTier(t5::IsaTier tier);
  ~ActiveTier();
  ActiveTier(const ActiveTier&) = delete;
  ActiveTier& operator=(const ActiveTier&) = delete;

 private:
  t5::IsaTier previous_;
};

// A test parameterized by tier alone, with that tier active.
class TierTest : public testing::TestWithParam<t5::IsaTier> {
 protected:
  TierTest() : active_(GetParam()) {}

 private:
  ActiveTier active_;
};

}  // namespace t5test
