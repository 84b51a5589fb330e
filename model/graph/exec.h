#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "core/thread_pool.h"
#include "graph/switches.h"

namespace t5 {

// Where the time of a forward pass goes.
enum class OpKind { Embedding, Norm, Attention, CrossKV, FeedForward, LmHead, Other, Count };
const char* op_kind_name(OpKind kind);

struct OpTimes {
  double seconds[static_cast<int>(OpKind::Count)] = {};
  void add(const OpTimes& other);
  double total() const;
};

// Receives named intermediates (tests compare them with transformers' tensors).
using Tracer = std::function<void(const std::string& name, const float* data, int rows, int cols)>;

// What one forward pass runs with.
struct Exec {
  ThreadPool& pool;
  Switches switches;
  OpTimes* times = nullptr;
  const Tracer* tracer = nullptr;

  void trace(const char* name, const float* data, int rows, int cols) const {
    if (tracer && *tracer) (*tracer)(name, data, rows, cols);
  }
  // "<prefix><layer><suffix>", built only while tracing: the decode loop stays allocation-free.
  void trace_layer(const char* prefix, int layer, const char* suffix, const float* data, int rows, int cols) const {
    if (tracer && *tracer) (*tracer)(prefix + std::to_string(layer) + suffix, data, rows, cols);
  }
};

// Adds the lifetime of the scope to one kind of operation.
class OpTimer {
 public:
  OpTimer(const Exec& exec, OpKind kind) : times_(exec.times), kind_(kind), start_(std::chrono::steady_clock::now()) {}
  ~OpTimer() {
    if (times_)
      times_->seconds[static_cast<int>(kind_)] +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  OpTimes* times_;
  OpKind kind_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace t5
