// Beam search as transformers' _beam_search (the vectorized rewrite, 4.5x / 5.x) computes it for one prompt:
// _get_top_k_continuations, _get_running_beams_for_next_iteration, _update_finished_beams,
// _check_early_stop_heuristic and _beam_search_has_unfinished_sequences, step by step, in fp32.

#include "generation/beam_search.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>

#include "kernels/dispatch.h"

namespace t5 {

namespace {

// transformers scores dead beams and excluded candidates by adding this (exact in fp32).
constexpr float kDead = -1.0e9f;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Inserts (value, index) into values[0, size), kept descending with at most `capacity` entries, after the
// entries equal to it (so ties keep their arrival order); returns the new size.
int insert_best(float value, int index, float* values, int* indices, int size, int capacity) {
  int at = size;
  while (at > 0 && value > values[at - 1]) --at;
  if (at >= capacity) return size;
  const int moved = std::min(size, capacity - 1) - at;
  std::memmove(values + at + 1, values + at, static_cast<size_t>(moved) * sizeof(float));
  std::memmove(indices + at + 1, indices + at, static_cast<size_t>(moved) * sizeof(int));
  values[at] = value;
  indices[at] = index;
  return std::min(size + 1, capacity);
}

// order[0, k): the indices of the k largest of scores[0, n), best first; ties go to the lower index.
void best_first(const float* scores, int n, int k, int* order, float* sorted) {
  int size = 0;
  for (int i = 0; i < n; ++i) size = insert_best(scores[i], i, sorted, order, size, k);
}

// The n largest values of one row of logits and their ids, best first (ties: the lower id). Once n are kept,
// the kernel's scan finds the rare larger ones.
void row_top(const float* x, int vocab, int n, float* values, int* ids) {
  int size = 0;
  int t = 0;
  for (; t < vocab && size < n; ++t) size = insert_best(x[t], t, values, ids, size, n);
  if (size < n) return;
  const KernelTable& k = kernels();
  while ((t = k.next_greater(x, t, vocab, values[n - 1])) < vocab) {
    size = insert_best(x[t], t, values, ids, size, n);
    ++t;
  }
}

// log(sum(exp(x - max))) of one row in fp32: the max-subtracted terms cannot overflow.
float log_sum_exp(const float* x, int n, float max) { return std::log(kernels().sum_exp(x, n, max)); }

}  // namespace

void top_continuations(const float* logits, int rows, int vocab, const float* running_scores, int count,
                       BeamCandidate* out) {
  const size_t pooled = static_cast<size_t>(rows) * count;
  std::vector<float> top_logits(pooled), pooled_scores(pooled), sorted(static_cast<size_t>(count));
  std::vector<int> top_ids(pooled), order(static_cast<size_t>(count));
  for (int r = 0; r < rows; ++r) {
    const float* row = logits + static_cast<size_t>(r) * vocab;
    float* values = top_logits.data() + static_cast<size_t>(r) * count;
    row_top(row, vocab, count, values, top_ids.data() + static_cast<size_t>(r) * count);
    const float max = values[0];
    const float log_sum = log_sum_exp(row, vocab, max);
    // torch's log_softmax order, (x - max) - log_sum, then the beam's running score added.
    for (int j = 0; j < count; ++j) {
      const float log_prob = (values[j] - max) - log_sum;
      pooled_scores[static_cast<size_t>(r) * count + j] = log_prob + running_scores[r];
    }
  }
  best_first(pooled_scores.data(), static_cast<int>(pooled), count, order.data(), sorted.data());
  for (int k = 0; k < count; ++k) {
    const int p = order[static_cast<size_t>(k)];
    out[k] = BeamCandidate{pooled_scores[static_cast<size_t>(p)], p / count, top_ids[static_cast<size_t>(p)]};
  }
}

void start_beam_search(BeamSearch& search, const BeamOptions& options, int32_t eos_token_id) {
  const int beams = options.num_beams, keep = 2 * beams;
  const size_t tokens = static_cast<size_t>(beams) * options.max_new_tokens;
  search.options = options;
  search.eos_token_id = eos_token_id;
  search.generated = 0;
  search.running_scores.assign(static_cast<size_t>(beams), kDead);
  search.running_scores[0] = 0.0f;
  search.running_tokens.assign(tokens, 0);
  search.parents.assign(static_cast<size_t>(beams), 0);
  search.hypothesis_scores.assign(static_cast<size_t>(beams), kDead);
  search.hypothesis_done.assign(static_cast<size_t>(beams), 0);
  search.hypothesis_tokens.assign(tokens, 0);
  search.hypothesis_lengths.assign(static_cast<size_t>(beams), 0);
  search.may_improve = true;
  search.stops.assign(static_cast<size_t>(keep), 0);
  search.ranked.assign(static_cast<size_t>(beams + keep), 0.0f);
  search.order.assign(static_cast<size_t>(beams), 0);
  search.order_scores.assign(static_cast<size_t>(beams), 0.0f);
  search.next_scores.assign(static_cast<size_t>(beams), 0.0f);
  search.next_tokens.assign(tokens, 0);
  search.next_done.assign(static_cast<size_t>(beams), 0);
  search.next_lengths.assign(static_cast<size_t>(beams), 0);
}

bool advance_beam_search(BeamSearch& s, const BeamCandidate* candidates) {
  const int beams = s.options.num_beams, keep = 2 * beams;
  const size_t stride = static_cast<size_t>(s.options.max_new_tokens);
  const double length_penalty = s.options.length_penalty;
  const int length = s.generated + 1;  // tokens of every continuation: cur_len + 1 - decoder_prompt_len
  const bool at_max_length = length >= s.options.max_new_tokens;
  float* ranked = s.ranked.data();
  int* order = s.order.data();
  float* sorted = s.order_scores.data();

  // Which continuations hit a stopping criterion: EOS, or max_length for every one.
  bool all_stop = true;
  for (int i = 0; i < keep; ++i) {
    s.stops[static_cast<size_t>(i)] = candidates[i].token == s.eos_token_id || at_max_length;
    all_stop = all_stop && s.stops[static_cast<size_t>(i)];
  }
  // Writes continuation i's tokens: its parent's history, then its token.
  auto continuation_tokens = [&](int i, int32_t* out) {
    const int32_t* parent = s.running_tokens.data() + static_cast<size_t>(candidates[i].beam) * stride;
    std::memcpy(out, parent, static_cast<size_t>(length - 1) * sizeof(int32_t));
    out[length - 1] = candidates[i].token;
  };

  // _update_finished_beams: only the first K ranks may finish (the others are the reserve that keeps K beams
  // running). The -1e9 terms are added in transformers' order, so placeholders rank as it ranks them.
  bool all_done = true;
  for (int j = 0; j < beams; ++j) all_done = all_done && s.hypothesis_done[static_cast<size_t>(j)];
  const bool beams_full = all_done && s.options.early_stopping == EarlyStopping::True;
  const float penalty = static_cast<float>(std::pow(static_cast<double>(length), length_penalty));
  for (int j = 0; j < beams; ++j) ranked[j] = s.hypothesis_scores[static_cast<size_t>(j)];
  for (int i = 0; i < keep; ++i) {
    const bool just_finished = s.stops[static_cast<size_t>(i)] && i < beams;
    float score = candidates[i].score / penalty;
    if (beams_full) score += kDead;
    if (!s.may_improve) score += kDead;
    if (!just_finished) score += kDead;
    ranked[beams + i] = score;
  }
  best_first(ranked, beams + keep, beams, order, sorted);
  for (int r = 0; r < beams; ++r) {
    const int m = order[r];
    int32_t* tokens = s.next_tokens.data() + static_cast<size_t>(r) * stride;
    s.next_scores[static_cast<size_t>(r)] = ranked[m];
    if (m < beams) {
      s.next_done[static_cast<size_t>(r)] = s.hypothesis_done[static_cast<size_t>(m)];
      s.next_lengths[static_cast<size_t>(r)] = s.hypothesis_lengths[static_cast<size_t>(m)];
      std::memcpy(tokens, s.hypothesis_tokens.data() + static_cast<size_t>(m) * stride,
                  static_cast<size_t>(s.hypothesis_lengths[static_cast<size_t>(m)]) * sizeof(int32_t));
    } else {
      const int i = m - beams;
      s.next_done[static_cast<size_t>(r)] = s.stops[static_cast<size_t>(i)] && i < beams;
      s.next_lengths[static_cast<size_t>(r)] = length;
      continuation_tokens(i, tokens);
    }
  }
  std::swap(s.hypothesis_scores, s.next_scores);
  std::swap(s.hypothesis_done, s.next_done);
  std::swap(s.hypothesis_lengths, s.next_lengths);
  std::swap(s.hypothesis_tokens, s.next_tokens);

  // _get_running_beams_for_next_iteration: the K best continuations that did not stop.
  for (int i = 0; i < keep; ++i)
    ranked[i] = s.stops[static_cast<size_t>(i)] ? candidates[i].score + kDead : candidates[i].score;
  best_first(ranked, keep, beams, order, sorted);
  for (int r = 0; r < beams; ++r) {
    const int i = order[r];
    s.running_scores[static_cast<size_t>(r)] = ranked[i];
    s.parents[static_cast<size_t>(r)] = candidates[i].beam;
    continuation_tokens(i, s.next_tokens.data() + static_cast<size_t>(r) * stride);
  }
  std::swap(s.running_tokens, s.next_tokens);
  s.generated = length;

  // _check_early_stop_heuristic: can the best running beam still beat the worst kept hypothesis? "never" with a
  // positive length penalty assumes it could grow to max_length; otherwise it is scored at its current length.
  const int hypothetical_length =
      s.options.early_stopping == EarlyStopping::Never && length_penalty > 0.0 ? s.options.max_new_tokens : s.generated;
  const float best_possible =
      s.running_scores[0] / static_cast<float>(std::pow(static_cast<double>(hypothetical_length), length_penalty));
  float worst_kept = s.hypothesis_scores[0];
  for (int j = 1; j < beams; ++j) worst_kept = std::min(worst_kept, s.hypothesis_scores[static_cast<size_t>(j)]);
  bool beats_one = false;
  all_done = true;
  for (int j = 0; j < beams; ++j) {
    const bool done = s.hypothesis_done[static_cast<size_t>(j)];
    beats_one = beats_one || best_possible > (done ? worst_kept : kDead);
    all_done = all_done && done;
  }
  s.may_improve = s.may_improve && beats_one;

  // _beam_search_has_unfinished_sequences.
  const bool open_beam = !(all_done && s.options.early_stopping == EarlyStopping::True);
  return s.may_improve && open_beam && !all_stop;
}

Generation Engine::generate_beam(const std::vector<int32_t>& input_ids, const BeamOptions& options) {
  const T5Config& c = model_.config();
  validate_input_ids(input_ids, c, "input ids");
  const int beams = options.num_beams;
  if (beams < 1 || 2 * beams > c.vocab_size)
    fail("beam search",
         "num_beams " + std::to_string(beams) + " is outside [1, " + std::to_string(c.vocab_size / 2) + "]");
  if (options.max_new_tokens < 1) fail("beam search", "max_new_tokens must be at least 1");
  check_request_memory(c, {static_cast<int>(input_ids.size())}, beams, options.max_new_tokens,
                       !switches_.fused_attention, "beam search with " + std::to_string(beams) + " beams");
  Generation result;
  Exec exec{pool_, switches_, &result.op_times, nullptr};
  const auto start = std::chrono::steady_clock::now();

  // Every beam attends to the one encoded prompt: its cross K/V are computed once.
  RequestSlot& slot = slots_[0];
  prefill(slot, {input_ids}, beams, options.max_new_tokens, result, nullptr);
  DecoderState& decoder = slot.decoder;
  float* logits = slot.logits.data();
  BeamSearch search;
  start_beam_search(search, options, c.eos_token_id);
  std::vector<BeamCandidate> candidates(static_cast<size_t>(2 * beams));
  std::vector<int32_t> tokens(static_cast<size_t>(beams), c.decoder_start_token_id);
  std::vector<int> rows(static_cast<size_t>(beams));
  for (int r = 0; r < beams; ++r) rows[static_cast<size_t>(r)] = r;
  for (int step = 0; step < options.max_new_tokens; ++step) {
    const auto step_start = std::chrono::steady_clock::now();
    // At the first step every beam holds just the start token and beams 1.. score -1e9, so none of their
    // continuations can reach the top 2K: only beam 0 is decoded, and the reorder copies its history to all.
    const int live = step == 0 ? 1 : beams;
    decode_step(exec, model_, decoder, tokens.data(), rows.data(), live, logits);
    bool more;
    {
      OpTimer timer(exec, OpKind::Other);
      top_continuations(logits, live, c.vocab_size, search.running_scores.data(), 2 * beams, candidates.data());
      more = advance_beam_search(search, candidates.data());
      if (more) {
        decoder.self_cache.reorder(search.parents, decoder.position);
        for (int r = 0; r < beams; ++r)
          tokens[static_cast<size_t>(r)] =
              search.running_tokens[static_cast<size_t>(r) * options.max_new_tokens + search.generated - 1];
      }
    }
    result.step_seconds.push_back(seconds_since(step_start));
    if (step == 0) result.first_token_seconds = seconds_since(start);
    if (!more) break;
  }
  const int32_t* best = search.hypothesis_tokens.data();
  result.output_ids.assign(best, best + search.hypothesis_lengths[0]);
  result.sequence_score = search.hypothesis_scores[0];
  result.total_seconds = seconds_since(start);
  result.decoder_seconds = result.total_seconds - result.encoder_seconds;
  return result;
}

}  // namespace t5
