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

struct Generation {
  std::vector<int32_t> output_ids;  // without the start id; ends with EOS when EOS was produced
  double encoder_seconds = 0;       // encoder stack (and cross K/V when they are computed once)
  double decoder_seconds = 0;       // every decode step
  double first_token_seconds = 0;   // encoder + first step
  double total_seconds = 0;
  std::vector<double> step_seconds;
  OpTimes op_times;
  double sequence_score = 0;  // beam search: the best hypothesis' length-penalized log-probability
};

// The raw logits of each step, before EOS suppression: (step, logits[vocab], vocab).
using StepObserver = std::function<void(int step, const float* logits, int vocab)>;

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
  // Beam search (generation/beam_search.cpp).
  Generation generate_beam(const std::vector<int32_t>& input_ids, const BeamOptions& options);

 private:
  const Model& model_;
  ThreadPool pool_;
  Switches switches_;
  std::vector<int> pinned_;
  EncoderWorkspace encoder_workspace_;
  AlignedBuffer<float> hidden_;
  AlignedBuffer<float> logits_;
  DecoderState decoder_;
};

}  // namespace t5
