#include <chrono>
#include <limits>
#include <stdexcept>

#include "core/memory.h"
#include "core/topology.h"
#include "kernels/dispatch.h"
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

uint64_t request_memory_bytes(const T5Config& c, const std::vector<int>& input_lengths, int decode_rows,
                              int max_new_tokens, bool materialized_attention) {
  const uint64_t f = sizeof(float), d = c.d_model, inner = c.inner_dim(), ff = c.d_ff, heads = c.num_heads;
  uint64_t rows = 0, squares = 0;
  for (const int length : input_lengths) {
    rows += static_cast<uint64_t>(length);
    squares += static_cast<uint64_t>(length) * length;
  }
  const uint64_t encoder = rows * (2 * d + 4 * inner + 3 * ff) * f +
                           (materialized_attention ? heads * squares * (sizeof(double) + 2 * f) : heads * c.d_kv * (rows + 16) * f);
  const uint64_t cross = static_cast<uint64_t>(c.num_decoder_layers) * rows * 2 * inner * f;
  const uint64_t self = static_cast<uint64_t>(c.num_decoder_layers) * 2 * static_cast<uint64_t>(max_new_tokens) *
                        static_cast<uint64_t>(decode_rows) * inner * f;
  const uint64_t step = static_cast<uint64_t>(decode_rows) * (c.vocab_size + 4 * d + 4 * inner + 3 * ff) * f;
  return encoder + cross + self + step;
}

void check_request_memory(const T5Config& c, const std::vector<int>& input_lengths, int decode_rows,
                          int max_new_tokens, bool materialized_attention, const std::string& what) {
  const uint64_t needed = request_memory_bytes(c, input_lengths, decode_rows, max_new_tokens, materialized_attention);
  const uint64_t available = available_memory_bytes();
  if (available > 0 && needed > available)
    fail(what, "needs " + std::to_string(needed >> 20) + " MiB for its activations and KV cache, more than the " +
                   std::to_string(available >> 20) + " MiB available");
}

Engine::Engine(const Model& model, int threads) : model_(model), pool_(threads) {
  active_isa_tier();  // T5BENCH_ISA's tier is checked (t5::Error) here, not inside a worker's first kernel
}

void Engine::set_switches(const Switches& switches) {
  if (switches.pinned_threads != switches_.pinned_threads)
    pinned_ = pool_.set_pinning(machine_topology(), switches.pinned_threads);
  switches_ = switches;
}

void Engine::prefill(RequestSlot& slot, const std::vector<std::vector<int32_t>>& inputs, int rows_per_input,
                     int capacity, GenerationTimes& times, const Tracer* tracer) {
  const T5Config& c = model_.config();
  const auto start = std::chrono::steady_clock::now();
  std::vector<int32_t> ids;
  std::vector<int> lengths;
  for (const std::vector<int32_t>& input : inputs) {
    ids.insert(ids.end(), input.begin(), input.end());
    lengths.push_back(static_cast<int>(input.size()));
  }
  Exec exec{pool_, switches_, &times.op_times, tracer};
  slot.hidden.resize(std::max(slot.hidden.size(), ids.size() * static_cast<size_t>(c.d_model)));
  encode(exec, model_, ids.data(), lengths, slot.encoder_workspace, slot.hidden.data());
  std::vector<EncodedSequence> sequences;
  std::vector<int> sequence_of_row;
  size_t offset = 0;
  for (size_t s = 0; s < lengths.size(); ++s) {
    sequences.push_back({slot.hidden.data() + offset * c.d_model, lengths[s]});
    for (int r = 0; r < rows_per_input; ++r) sequence_of_row.push_back(static_cast<int>(s));
    offset += static_cast<size_t>(lengths[s]);
  }
  const size_t rows = sequence_of_row.size();
  start_decoding(exec, model_, slot.decoder, std::move(sequences), std::move(sequence_of_row), capacity);
  slot.logits.resize(std::max(slot.logits.size(), rows * static_cast<size_t>(c.vocab_size)));
  times.encoder_seconds = seconds_since(start);
}

void Engine::decode_greedy(RequestSlot& slot, int batch, const GenerateOptions& options, BatchGeneration& result,
                           const BatchStepObserver& observer, const Tracer* tracer) {
  const T5Config& c = model_.config();
  const auto start = std::chrono::steady_clock::now();
  Exec exec{pool_, switches_, &result.op_times, tracer};
  result.output_ids.assign(static_cast<size_t>(batch), {});
  std::vector<int> active(static_cast<size_t>(batch));  // rows still decoding, in row order
  std::vector<int32_t> tokens(static_cast<size_t>(batch), c.decoder_start_token_id);
  for (int r = 0; r < batch; ++r) active[static_cast<size_t>(r)] = r;
  for (int step = 0; step < options.max_new_tokens && !active.empty(); ++step) {
    const auto step_start = std::chrono::steady_clock::now();
    const int count = static_cast<int>(active.size());
    decode_step(exec, model_, slot.decoder, tokens.data(), active.data(), count, slot.logits.data());
    std::vector<int> still_active;
    std::vector<int32_t> next_tokens;
    for (int i = 0; i < count; ++i) {
      const int row = active[static_cast<size_t>(i)];
      float* logits = slot.logits.data() + static_cast<size_t>(i) * c.vocab_size;
      if (observer) observer(row, step, logits, c.vocab_size);
      int32_t token;
      if (options.ignore_eos) {  // EOS may not be chosen: transformers' min_new_tokens
        const float eos_logit = logits[c.eos_token_id];
        logits[c.eos_token_id] = -std::numeric_limits<float>::infinity();
        token = argmax(logits, c.vocab_size);
        logits[c.eos_token_id] = eos_logit;
      } else {
        token = argmax(logits, c.vocab_size);
      }
      result.output_ids[static_cast<size_t>(row)].push_back(token);
      if (token != c.eos_token_id || options.ignore_eos) {
        still_active.push_back(row);
        next_tokens.push_back(token);
      }
    }
    active = std::move(still_active);
    tokens = std::move(next_tokens);
    result.step_seconds.push_back(seconds_since(step_start));
    if (step == 0) result.first_token_seconds = result.encoder_seconds + seconds_since(start);
  }
  result.decoder_seconds = seconds_since(start);
  result.total_seconds = result.encoder_seconds + result.decoder_seconds;
}

BatchGeneration Engine::generate_batch(const std::vector<std::vector<int32_t>>& inputs,
                                       const GenerateOptions& options, const BatchStepObserver& observer,
                                       const Tracer* tracer) {
  const T5Config& c = model_.config();
  const int batch = static_cast<int>(inputs.size());
  if (batch == 0) throw std::invalid_argument("generate_batch: no inputs");
  std::vector<int> lengths;
  size_t tokens = 0;
  for (const std::vector<int32_t>& input : inputs) {
    validate_input_ids(input, c, "input ids");
    lengths.push_back(static_cast<int>(input.size()));
    tokens += input.size();
  }
  check_request_memory(c, lengths, batch, options.max_new_tokens, !switches_.fused_attention,
                       "a batch of " + std::to_string(batch) + " prompts (" + std::to_string(tokens) + " tokens)");
  BatchGeneration result;
  prefill(slots_[0], inputs, 1, std::max(1, options.max_new_tokens), result, tracer);
  decode_greedy(slots_[0], batch, options, result, observer, tracer);
  return result;
}

Generation Engine::generate(const std::vector<int32_t>& input_ids, const GenerateOptions& options,
                            const StepObserver& observer, const Tracer* tracer) {
  BatchGeneration batch = generate_batch(
      {input_ids}, options,
      observer ? BatchStepObserver([&](int, int step, const float* logits, int vocab) { observer(step, logits, vocab); })
               : BatchStepObserver(),
      tracer);
  Generation result;
  static_cast<GenerationTimes&>(result) = std::move(batch);
  result.output_ids = std::move(batch.output_ids[0]);
  return result;
}

}  // namespace t5
