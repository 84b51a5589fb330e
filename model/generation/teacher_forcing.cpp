// Teacher forcing: the decoder fed a given output (a reference's own) instead of its own choices.

#include "t5.h"

namespace t5 {

void Engine::teacher_force(const std::vector<int32_t>& input_ids, const std::vector<int32_t>& output_ids,
                           const StepObserver& observer) {
  const T5Config& c = model_.config();
  validate_input_ids(input_ids, c, "input ids");
  for (size_t i = 0; i < output_ids.size(); ++i)
    if (output_ids[i] < 0 || output_ids[i] >= c.vocab_size)
      fail("teacher forcing", "output id " + std::to_string(output_ids[i]) + " at step " + std::to_string(i) +
                                  " is outside the vocabulary of " + std::to_string(c.vocab_size));
  if (output_ids.empty()) return;
  const int steps = static_cast<int>(output_ids.size());
  check_request_memory(c, {static_cast<int>(input_ids.size())}, 1, steps, !switches_.fused_attention,
                       "teacher forcing " + std::to_string(steps) + " steps");
  GenerationTimes times;
  RequestSlot& slot = slots_[0];
  prefill(slot, {input_ids}, 1, steps, times, nullptr);
  Exec exec{pool_, switches_, &times.op_times, nullptr};
  // The same decode steps as greedy generation, so where the prefixes agree the logits agree bit for bit.
  const int row = 0;
  int32_t token = c.decoder_start_token_id;
  for (int step = 0; step < steps; ++step) {
    decode_step(exec, model_, slot.decoder, &token, &row, 1, slot.logits.data());
    if (observer) observer(step, slot.logits.data(), c.vocab_size);
    token = output_ids[static_cast<size_t>(step)];
  }
}

}  // namespace t5
