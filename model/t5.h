#pragma once

// The t5bench model library: load a FLAN-T5 / T5 checkpoint and generate with it.
//
//   auto model = t5::Model::load("models/flan-t5-small", {});
//   t5::Engine engine(*model, /*threads=*/2);
//   engine.set_switches(t5::Switches::optimized());
//   t5::Generation g = engine.generate(model->tokenizer()->encode("translate ...", "prompt"), {});

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/thread_pool.h"
#include "graph/decoder.h"
#include "graph/encoder.h"
#include "graph/exec.h"
#include "graph/model.h"
#include "graph/switches.h"

namespace t5 {

struct GenerateOptions {
  int max_new_tokens = 48;
  // Never choose EOS, so exactly max_new_tokens tokens come out (transformers' min_new_tokens = max).
  bool ignore_eos = false;
};

// Beam search as transformers' generate(num_beams, length_penalty, early_stopping) computes it.
enum class EarlyStopping { False, True, Never };
struct BeamOptions {
  int num_beams = 4;
  double length_penalty = 1.0;
  EarlyStopping early_stopping = EarlyStopping::False;
  int max_new_tokens = 32;
};

// Where the time of one generate call went.
struct GenerationTimes {
  double encoder_seconds = 0;      // encoder stack (and cross K/V when they are computed once)
  double decoder_seconds = 0;      // every decode step
  double first_token_seconds = 0;  // encoder + first step
  double total_seconds = 0;
  std::vector<double> step_seconds;
  OpTimes op_times;
};

struct Generation : GenerationTimes {
  std::vector<int32_t> output_ids;  // without the start id; ends with EOS when EOS was produced
  double sequence_score = 0;        // beam search: the best hypothesis' length-penalized log-probability
};

// Several prompts decoded together; each row's ids equal what the prompt gives alone.
struct BatchGeneration : GenerationTimes {
  std::vector<std::vector<int32_t>> output_ids;
};

// The raw logits of each step, before EOS suppression: (step, logits[vocab], vocab).
using StepObserver = std::function<void(int step, const float* logits, int vocab)>;
// The same for a batch: (row, step, logits[vocab], vocab).
using BatchStepObserver = std::function<void(int row, int step, const float* logits, int vocab)>;

// Bytes the buffers of one request take: encoder activations (and score matrices when attention is
// materialized), cross-attention K/V, the self-attention cache for `decode_rows` rows (beams count as rows)
// of up to `max_new_tokens` tokens, and the logits.
uint64_t request_memory_bytes(const T5Config& config, const std::vector<int>& input_lengths, int decode_rows,
                              int max_new_tokens, bool materialized_attention);

// Refuses a request whose buffers would not fit in the memory available now, before allocating any of them.
void check_request_memory(const T5Config& config, const std::vector<int>& input_lengths, int decode_rows,
                          int max_new_tokens, bool materialized_attention, const std::string& what);

// Checks ids against the model: non-empty, inside the vocabulary, not longer than its input limit.
// Errors name `source` ("prompt 3").
void validate_input_ids(const std::vector<int32_t>& ids, const T5Config& config, const std::string& source);

// Runs a model with a thread pool and a set of optimizations; reuses its buffers across requests.
class Engine {
 public:
  Engine(const Model& model, int threads);

  void set_switches(const Switches& switches);
  const Switches& switches() const { return switches_; }
  int threads() const { return pool_.num_threads(); }
  // The OS processors the threads are bound to (caller first), empty when unpinned.
  const std::vector<int>& pinned_processors() const { return pinned_; }
  ThreadPool& pool() { return pool_; }

  Generation generate(const std::vector<int32_t>& input_ids, const GenerateOptions& options,
                      const StepObserver& observer = {}, const Tracer* tracer = nullptr);
  // Prompts encoded together (packed, no padding) and decoded together: each row stops at its own EOS and
  // finished rows drop out of the remaining steps.
  BatchGeneration generate_batch(const std::vector<std::vector<int32_t>>& inputs, const GenerateOptions& options,
                                 const BatchStepObserver& observer = {}, const Tracer* tracer = nullptr);
  // Beam search (generation/beam_search.cpp).
  Generation generate_beam(const std::vector<int32_t>& input_ids, const BeamOptions& options);
  // Teacher forcing (generation/teacher_forcing.cpp): step k is fed output_ids[k - 1] (the start id at step 0)
  // whatever the logits say, and `observer` sees each of the output_ids.size() steps' raw logits.
  void teacher_force(const std::vector<int32_t>& input_ids, const std::vector<int32_t>& output_ids,
                     const StepObserver& observer);

  // Requests one after another (generation/stream.cpp). With the overlap switch the next request's encoder
  // runs on a second thread while the current one decodes, both feeding the one task queue, and `done`
  // (detokenizing, writing) runs on a host thread off the critical path; results come in request order.
  using RequestDone = std::function<void(size_t request, const Generation& generation)>;
  void generate_stream(const std::vector<std::vector<int32_t>>& requests, const GenerateOptions& options,
                       const RequestDone& done);

 private:
  // The buffers of one request in flight; two let a request be encoded while another decodes.
  struct RequestSlot {
    EncoderWorkspace encoder_workspace;
    AlignedBuffer<float> hidden;
    AlignedBuffer<float> logits;
    DecoderState decoder;
  };
  // Encoder and cross-attention K/V of `inputs` into `slot`, ready to decode up to `capacity` tokens per
  // row (`rows_per_input` rows attend to each input: beams).
  void prefill(RequestSlot& slot, const std::vector<std::vector<int32_t>>& inputs, int rows_per_input, int capacity,
               GenerationTimes& times, const Tracer* tracer);
  // Greedy steps of the prefilled batch until every row ends.
  void decode_greedy(RequestSlot& slot, int batch, const GenerateOptions& options, BatchGeneration& result,
                     const BatchStepObserver& observer, const Tracer* tracer);

  const Model& model_;
  ThreadPool pool_;
  Switches switches_;
  std::vector<int> pinned_;
  RequestSlot slots_[2];
};

}  // namespace t5
