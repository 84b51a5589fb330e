#pragma once

#include <cstdint>
#include <vector>

#include "suites/reference_suite.h"

namespace t5bench {

// Reference top-1/top-2 logit margins below this make a step a near-tie: any change of summation order
// may flip it, so a divergence there is ambiguous rather than wrong.
inline constexpr float kTieMargin = 1e-3f;

// Reference gaps under this make a step a close decision: reduced-precision weights move the top-1/top-2
// gap by a few hundredths (int8 on suite-seed-128x32: median 0.03), so such steps may flip where fp32 keeps them.
inline constexpr float kCloseGap = 0.05f;

struct GreedyComparison {
  bool exact = false;          // output ids identical
  bool ambiguous = false;      // not exact; at the first divergence our token is the reference's top-1 or
                               // top-2 and their margin is under kTieMargin
  int first_divergence = -1;   // step index, -1 when exact
  float divergence_margin = 0; // the reference top-1/top-2 margin at that step
  int matching_tokens = 0;     // steps agreeing before the first divergence
  bool tie_aware_match() const { return exact || ambiguous; }
};

GreedyComparison compare_greedy(const ReferenceGreedy& reference, const std::vector<int32_t>& output_ids);

}  // namespace t5bench
