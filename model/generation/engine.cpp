#include <cblas.h>

#include <chrono>
#include <limits>

#include "core/topology.h"
#include "kernels/softmax.h"
#include "t5.h"

namespace t5 {

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

void validate_input_ids(const std::vector<int32_t>& ids, const T5Config& config, const std::string& source) {
  if (ids.empty()) fail(source, "no input ids");
  if (static_cast<int>(ids.size()) > config.max_input_tokens)
    fail(source, std::to_string(ids.size()) + " input tokens exceed the model's limit of " +
                     std::to_string(config.max_input_tokens));
  for (size_t i = 0; i < ids.size(); ++i)
    if (ids[i] < 0 || ids[i] >= config.vocab_size)
      fail(source, "input id " + std::to_string(ids[i]) + " at position " + std::to_string(i) +
                       " is outside the vocabulary of " + std::to_string(config.vocab_size));
}

Engine::Engine(const Model& model, int threads) : model_(model), pool_(threads) {
  openblas_set_num_threads(1);  // OpenBLAS runs inside our tasks; its own threads would fight the pool
}

void Engine::set_switches(const Switches& switches) {
  if (switches.pinned_threads != switches_.pinned_threads)
    pinned_ = pool_.set_pinning(machine_topology(), switches.pinned_threads);
  switches_ = switches;
}

Generation Engine::generate(const std::vector<int32_t>& input_ids, const GenerateOptions& options,
                            const StepObserver& observer, const Tracer* tracer) {
  const T5Config& c = model_.config();
  validate_input_ids(input_ids, c, "input ids");
  Generation result;
  Exec exec{pool_, switches_, &result.op_times, tracer};
  const auto start = std::chrono::steady_clock::now();

  const int length = static_cast<int>(input_ids.size());
  hidden_.resize(std::max(hidden_.size(), static_cast<size_t>(length) * c.d_model));
  encode(exec, model_, input_ids.data(), length, encoder_workspace_, hidden_.data());
  const int capacity = std::max(1, options.max_new_tokens);
  start_decoding(exec, model_, decoder_, {EncodedSequence{hidden_.data(), length}}, {0}, capacity);
  result.encoder_seconds = seconds_since(start);

  logits_.resize(std::max(logits_.size(), static_cast<size_t>(c.vocab_size)));
  int32_t token = c.decoder_start_token_id;
  const int row = 0;
  for (int step = 0; step < options.max_new_tokens; ++step) {
    const auto step_start = std::chrono::steady_clock::now();
    decode_step(exec, model_, decoder_, &token, &row, 1, logits_.data());
    if (observer) observer(step, logits_.data(), c.vocab_size);
    if (options.ignore_eos) {
      const float eos_logit = logits_[static_cast<size_t>(c.eos_token_id)];
      logits_[static_cast<size_t>(c.eos_token_id)] = -std::numeric_limits<float>::infinity();
      token = argmax(logits_.data(), c.vocab_size);
      logits_[static_cast<size_t>(c.eos_token_id)] = eos_logit;
    } else {
      token = argmax(logits_.data(), c.vocab_size);
    }
    result.output_ids.push_back(token);
    result.step_seconds.push_back(seconds_since(step_start));
    if (step == 0) result.first_token_seconds = seconds_since(start);
    if (token == c.eos_token_id && !options.ignore_eos) break;
  }
  result.total_seconds = seconds_since(start);
  result.decoder_seconds = result.total_seconds - result.encoder_seconds;
  return result;
}

}  // namespace t5
