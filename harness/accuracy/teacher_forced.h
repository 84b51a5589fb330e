#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "suites/reference_suite.h"

namespace t5bench {

// Teacher-forced comparison: at every reference step the decoder has seen the reference's own prefix, so
// each step's distribution can be compared with the reference's even after a free-running flip (the
// measures of llama.cpp's `perplexity --kl-divergence`).

// Our logits at one reference step, in the reference's terms.
struct StepLogits {
  int32_t choice = -1;             // our greedy choice: the first argmax, `excluded_id` never chosen
  double logsumexp = 0;            // over the whole vocabulary
  std::vector<float> at_top_ids;   // ours at the reference's top ids
};

// `excluded_id`: EOS where the suite ignores EOS (transformers' min_new_tokens), else -1.
StepLogits summarize_step(const float* logits, int vocab, const ReferenceStep& reference, int32_t excluded_id);

struct TeacherForcedStep {
  bool ambiguous = false;         // the reference's top-1/top-2 margin (among choosable ids) is under kTieMargin
  bool agrees = false;            // our choice is the reference's, or at an ambiguous step one within kTieMargin of it
  bool agrees_strictly = false;   // our choice is the reference's
  // Where the reference has its log-sum-exp: KL(reference || ours) over the reference's top ids plus one
  // bucket for the rest of the vocabulary, and |our p - reference p| of the reference's chosen id.
  std::optional<double> kl;
  std::optional<double> delta_p;
};

// `reference_choice`: the id the reference chose at this step (its output id).
TeacherForcedStep compare_step(const ReferenceStep& reference, int32_t reference_choice, const StepLogits& ours,
                               int32_t excluded_id);

}  // namespace t5bench
