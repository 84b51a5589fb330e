// Requests one after another, and with the overlap switch a two-stage pipeline: a prefill thread encodes
// request i + 1 into the other request slot while the caller decodes request i. Both threads submit their
// operations to the one task queue, so the encoder's compute-bound products fill the gaps of the decode
// steps' bandwidth-bound ones. Finished requests go to a host thread for the caller's `done` work.

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "t5.h"

namespace t5 {

namespace {

// Runs callbacks in submission order on its own thread.
class HostQueue {
 public:
  explicit HostQueue(const Engine::RequestDone& done) : done_(done), thread_([this] { loop(); }) {}
  ~HostQueue() { finish(); }

  void push(size_t request, Generation generation) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      items_.emplace_back(request, std::move(generation));
    }
    ready_.notify_one();
  }
  // Waits for every callback; rethrows the first exception one raised.
  void finish() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (closed_) return;
      closed_ = true;
    }
    ready_.notify_one();
    thread_.join();
    if (error_) std::rethrow_exception(error_);
  }

 private:
  void loop() {
    for (;;) {
      std::unique_lock<std::mutex> lock(mutex_);
      ready_.wait(lock, [&] { return closed_ || !items_.empty(); });
      if (items_.empty()) return;
      auto [request, generation] = std::move(items_.front());
      items_.pop_front();
      lock.unlock();
      if (error_) continue;  // drain after a failure without calling again
      try {
        done_(request, generation);
      } catch (...) {
        error_ = std::current_exception();
      }
    }
  }

  const Engine::RequestDone& done_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::pair<size_t, Generation>> items_;
  bool closed_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

}  // namespace

void Engine::generate_stream(const std::vector<std::vector<int32_t>>& requests, const GenerateOptions& options,
                             const RequestDone& done) {
  const T5Config& c = model_.config();
  for (const std::vector<int32_t>& input : requests) {
    validate_input_ids(input, c, "input ids");
    check_request_memory(c, {static_cast<int>(input.size())}, switches_.overlap ? 2 : 1, options.max_new_tokens,
                         !switches_.fused_attention, "a stream request of " + std::to_string(input.size()) + " tokens");
  }
  const int capacity = std::max(1, options.max_new_tokens);
  auto finish = [](BatchGeneration& batch) {
    Generation g;
    static_cast<GenerationTimes&>(g) = std::move(batch);
    g.output_ids = std::move(batch.output_ids[0]);
    return g;
  };
  if (!switches_.overlap) {
    for (size_t i = 0; i < requests.size(); ++i) {
      BatchGeneration result;
      prefill(slots_[0], {requests[i]}, 1, capacity, result, nullptr);
      decode_greedy(slots_[0], 1, options, result, {}, nullptr);
      done(i, finish(result));
    }
    return;
  }

  std::mutex mutex;
  std::condition_variable changed;
  std::vector<BatchGeneration> results(requests.size());
  size_t prefilled = 0, decoded = 0;  // requests through each stage
  std::exception_ptr prefill_error;
  bool stop = false;
  std::thread prefiller([&] {
    try {
      for (size_t i = 0; i < requests.size(); ++i) {
        {
          std::unique_lock<std::mutex> lock(mutex);  // slot i % 2 is free once request i - 2 has decoded
          changed.wait(lock, [&] { return stop || decoded + 2 > i; });
          if (stop) return;
        }
        prefill(slots_[i % 2], {requests[i]}, 1, capacity, results[i], nullptr);
        {
          std::lock_guard<std::mutex> lock(mutex);
          prefilled = i + 1;
        }
        changed.notify_all();
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex);
      prefill_error = std::current_exception();
      changed.notify_all();
    }
  });
  HostQueue host(done);
  try {
    for (size_t i = 0; i < requests.size(); ++i) {
      {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [&] { return prefilled > i || prefill_error; });
        if (prefilled <= i) break;
      }
      decode_greedy(slots_[i % 2], 1, options, results[i], {}, nullptr);
      host.push(i, finish(results[i]));
      {
        std::lock_guard<std::mutex> lock(mutex);
        decoded = i + 1;
      }
      changed.notify_all();
    }
  } catch (...) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stop = true;
    }
    changed.notify_all();
    prefiller.join();
    throw;
  }
  prefiller.join();
  if (prefill_error) std::rethrow_exception(prefill_error);
  host.finish();
}

}  // namespace t5
