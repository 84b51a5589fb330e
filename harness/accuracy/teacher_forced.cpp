#include "accuracy/teacher_forced.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "accuracy/compare.h"

namespace t5bench {

StepLogits summarize_step(const float* logits, int vocab, const ReferenceStep& reference, int32_t excluded_id) {
  StepLogits s;
  float best = -INFINITY, top = -INFINITY;
  for (int i = 0; i < vocab; ++i) {
    top = std::max(top, logits[i]);
    if (i != excluded_id && logits[i] > best) {
      best = logits[i];
      s.choice = i;
    }
  }
  double sum = 0;
  for (int i = 0; i < vocab; ++i) sum += std::exp(static_cast<double>(logits[i]) - top);
  s.logsumexp = top + std::log(sum);
  for (int32_t id : reference.top_ids) s.at_top_ids.push_back(id < vocab ? logits[id] : -INFINITY);
  return s;
}

TeacherForcedStep compare_step(const ReferenceStep& reference, int32_t reference_choice, const StepLogits& ours,
                               int32_t excluded_id) {
  TeacherForcedStep t;
  // The reference's choosable ids, highest first: its top two decide whether the step is a near-tie.
  std::vector<size_t> choosable;
  for (size_t k = 0; k < reference.top_ids.size(); ++k)
    if (reference.top_ids[k] != excluded_id) choosable.push_back(k);
  const float first = choosable.empty() ? -INFINITY : reference.top_logits[choosable[0]];
  t.ambiguous = choosable.size() >= 2 && first - reference.top_logits[choosable[1]] < kTieMargin;
  t.agrees_strictly = ours.choice == reference_choice;
  t.agrees = t.agrees_strictly;
  if (t.ambiguous)
    for (size_t k : choosable)
      t.agrees |= reference.top_ids[k] == ours.choice && reference.top_logits[k] >= first - kTieMargin;
  if (!reference.logsumexp) return t;

  // log p and log q of each top id are exact differences; each tail is what the top ids leave of 1.
  const double reference_lse = *reference.logsumexp;
  double kl = 0, p_top = 0, q_top = 0;
  for (size_t k = 0; k < reference.top_ids.size(); ++k) {
    const double log_p = reference.top_logits[k] - reference_lse, log_q = ours.at_top_ids[k] - ours.logsumexp;
    const double p = std::exp(log_p), q = std::exp(log_q);
    kl += p * (log_p - log_q);
    p_top += p;
    q_top += q;
    if (reference.top_ids[k] == reference_choice) t.delta_p = std::fabs(q - p);
  }
  const double p_tail = std::max(0.0, 1.0 - p_top), q_tail = std::max(DBL_MIN, 1.0 - q_top);
  if (p_tail > 0) kl += p_tail * (std::log(p_tail) - std::log(q_tail));
  t.kl = std::max(0.0, kl);  // non-negative but for rounding
  return t;
}

}  // namespace t5bench
