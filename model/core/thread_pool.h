#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace t5 {

class Topology;

// A persistent pool fed by a task queue. `run` splits one operation into tasks; the calling thread
// works on its own job, then on other submitters' jobs while its last tasks finish elsewhere; workers
// take tasks from every queued job. Several threads may submit at once and their operations overlap.
// Idle workers spin briefly (operations of a decode step follow each other within microseconds) and then
// sleep. A spinning worker is handed a job through its own mailbox, without the queue: a decode step runs
// about a hundred operations of a few microseconds, and the queue's lock, list and counters cost each one
// 1.5-4 us of cache lines passed between the cores (t5bench_micro BM_DecodeStepProducts/small_graph, AVX2
// tier, Zen 5, four alternating trials: bf16 1.82 -> 1.57 ms, int8 1.42 -> 1.25 ms).
class ThreadPool {
 public:
  // `num_threads` counts the calling thread: num_threads - 1 workers are started.
  explicit ThreadPool(int num_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int num_threads() const { return static_cast<int>(workers_.size()) + 1; }

  // Runs task(i) for every i in [0, count); returns when all have finished.
  void run(int count, const std::function<void(int)>& task);

  // Splits [0, total) into about `chunks_per_thread` chunks per thread, each a multiple of `grain`
  // (but the last), and runs body(begin, end) for each.
  void parallel_for(int total, int grain, int chunks_per_thread, const std::function<void(int, int)>& body);

  // Splits [0, total) into one contiguous share per thread (multiples of `grain`, but the last); each
  // thread runs body over its own share front to back, then takes the back half of what is left of
  // another share until none is left. Each thread streams one long range, yet one that falls behind
  // (a busy core on a shared host) is helped at the end instead of waited for.
  void parallel_for_balanced(int total, int grain, const std::function<void(int, int)>& body);

  // Pins worker i to core i + 1 and the calling thread to core 0 (one per physical core), or unpins
  // all of them. Returns the cores used, one per thread (the caller first); empty when unpinned.
  std::vector<int> set_pinning(const Topology& topology, bool pinned);

 private:
  struct Job {
    const std::function<void(int)>* task = nullptr;
    int count = 0;
    std::atomic<int> next{0};
    std::atomic<int> finished{0};
    std::atomic<int> users{0};  // workers that may still touch this job
  };

  // One worker's mailbox, a cache line of its own: null while it spins with nothing to do (a submitter may
  // post a job there), the posted job until the worker has finished it, &busy_marker_ while it runs a
  // queued job, &closed_marker_ while it sleeps.
  struct alignas(64) Mailbox {
    std::atomic<Job*> job{nullptr};
  };

  static Job busy_marker_, closed_marker_;  // mailbox states; their addresses only are used

  void worker_loop(Mailbox& mailbox);
  int post(Job& job);  // hands the job to every spinning worker; returns how many took it
  Job* claim_job();  // with mutex_ held: the oldest job with unclaimed tasks, its user count raised
  static void execute(Job* job);

  std::vector<std::thread> workers_;
  std::unique_ptr<Mailbox[]> mailboxes_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job*> jobs_;
  std::atomic<int> queued_{0};
  int sleepers_ = 0;
  bool stopping_ = false;
};

}  // namespace t5
