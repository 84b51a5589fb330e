#include "accuracy/compare.h"

#include <algorithm>

namespace t5bench {

GreedyComparison compare_greedy(const ReferenceGreedy& reference, const std::vector<int32_t>& output_ids) {
  GreedyComparison c;
  const std::vector<int32_t>& expected = reference.output_ids;
  const size_t common = std::min(expected.size(), output_ids.size());
  size_t k = 0;
  while (k < common && expected[k] == output_ids[k]) ++k;
  c.matching_tokens = static_cast<int>(k);
  if (k == expected.size() && k == output_ids.size()) {
    c.exact = true;
    return c;
  }
  c.first_divergence = static_cast<int>(k);
  if (k < reference.steps.size()) {
    const ReferenceStep& step = reference.steps[k];
    c.divergence_margin = step.top_logits[0] - step.top_logits[1];
    // A near-tie excuses only the other side of that tie: a token the reference ranked lower, or no token
    // at all (our output ended), is a real divergence whatever the margin.
    const bool ours_in_top_two =
        k < output_ids.size() && (output_ids[k] == step.top_ids[0] || output_ids[k] == step.top_ids[1]);
    c.ambiguous = ours_in_top_two && c.divergence_margin < kTieMargin;
  }
  return c;
}

}  // namespace t5bench
