#pragma once

// The decisions of beam search apart from the model, as transformers' _beam_search takes them for one prompt
// (batch 1) with one EOS id: Engine::generate_beam decodes the beams and feeds each step's logits here.
// Scores are fp32 and combined in transformers' order, so the kept beams and the final score match it.

#include <cstdint>
#include <vector>

#include "t5.h"

namespace t5 {

// Running beam `beam` continued by `token`, scored with its accumulated log-probability.
struct BeamCandidate {
  float score = 0;
  int beam = 0;
  int32_t token = 0;
};

// The `count` (<= vocab) best continuations of `rows` beams, best first: log_softmax(logits[row]) in fp32 plus
// running_scores[row]. Only each row's `count` largest logits can be among them, so the log-probability is
// evaluated at those alone. Ties go to the lower row (torch.topk leaves their order unspecified).
void top_continuations(const float* logits, int rows, int vocab, const float* running_scores, int count,
                       BeamCandidate* out);

// What beam search keeps between steps. With K beams: K running beams, the K best hypotheses so far
// (transformers' `sequences` / `beam_scores`), and 2K candidates per step.
struct BeamSearch {
  BeamOptions options;
  int32_t eos_token_id = 1;
  int generated = 0;                    // tokens every running beam holds (cur_len - decoder_prompt_len)
  std::vector<float> running_scores;    // [K], best first (running_beam_scores)
  std::vector<int32_t> running_tokens;  // [K][max_new_tokens]
  std::vector<int> parents;             // [K]: running beam r continues the previous step's beam parents[r]
  // Slots of the K best hypotheses, best first. A slot holds a finished hypothesis (is_sent_finished) or, until
  // K have finished, a placeholder scored about -1e9, exactly as transformers keeps them.
  std::vector<float> hypothesis_scores;    // [K] length-penalized (beam_scores)
  std::vector<uint8_t> hypothesis_done;    // [K] (is_sent_finished)
  std::vector<int32_t> hypothesis_tokens;  // [K][max_new_tokens]
  std::vector<int> hypothesis_lengths;     // [K]
  bool may_improve = true;                 // is_early_stop_heuristic_unsatisfied
  // Scratch of one step.
  std::vector<uint8_t> stops;       // [2K] the candidate ended (EOS or max length)
  std::vector<float> ranked;        // [3K] scores being ranked
  std::vector<int> order;           // [K] their best indices
  std::vector<float> order_scores;  // [K]
  std::vector<float> next_scores;
  std::vector<int32_t> next_tokens;
  std::vector<uint8_t> next_done;
  std::vector<int> next_lengths;
};

// Before the first step: beam 0 scores 0 and the others -1e9, so only beam 0's continuations count.
void start_beam_search(BeamSearch& search, const BeamOptions& options, int32_t eos_token_id);

// One step over the 2K candidates of top_continuations: those among the first K that end in EOS (every one of
// the first K at max_new_tokens) become hypotheses scored sum_logprobs / length^length_penalty, the K best that
// did not end continue, then the stopping rule of options.early_stopping. Returns whether another step runs.
bool advance_beam_search(BeamSearch& search, const BeamCandidate* candidates);

}  // namespace t5
