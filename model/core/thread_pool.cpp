#include "core/thread_pool.h"

#include <algorithm>
#include <chrono>

#include "core/topology.h"

namespace t5 {

namespace {

// How long an idle worker keeps polling before it sleeps: longer than the gap between the operations
// of a decode step, far shorter than the gap between requests.
constexpr auto kSpinBeforeSleep = std::chrono::microseconds(300);

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

}  // namespace

ThreadPool::Job ThreadPool::busy_marker_;
ThreadPool::Job ThreadPool::closed_marker_;

ThreadPool::ThreadPool(int num_threads) {
  const int workers = std::max(1, num_threads) - 1;
  mailboxes_ = std::make_unique<Mailbox[]>(static_cast<size_t>(workers));
  for (int i = 0; i < workers; ++i) workers_.emplace_back([this, i] { worker_loop(mailboxes_[i]); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

void ThreadPool::execute(Job* job) {
  for (;;) {
    int i = job->next.fetch_add(1, std::memory_order_relaxed);
    if (i >= job->count) return;
    (*job->task)(i);
    job->finished.fetch_add(1, std::memory_order_release);
  }
}

ThreadPool::Job* ThreadPool::claim_job() {
  for (Job* job : jobs_) {
    if (job->next.load(std::memory_order_relaxed) < job->count) {
      job->users.fetch_add(1, std::memory_order_relaxed);
      return job;
    }
  }
  return nullptr;
}

void ThreadPool::worker_loop(Mailbox& mailbox) {
  for (;;) {
    // The mailbox is open (null) here, or holds a job posted since: a submitter may post one at any moment.
    Job* job = nullptr;
    auto spin_start = std::chrono::steady_clock::now();
    for (int polls = 0;; ++polls) {
      if ((job = mailbox.job.load(std::memory_order_acquire)) != nullptr) break;  // posted, this worker counted
      if (queued_.load(std::memory_order_acquire) > 0) {
        Job* open = nullptr;
        if (!mailbox.job.compare_exchange_strong(open, &busy_marker_, std::memory_order_acquire)) {
          job = open;  // posted meanwhile: take that one
          break;
        }
        {
          std::lock_guard<std::mutex> lock(mutex_);
          job = claim_job();
        }
        if (job) break;
        mailbox.job.store(nullptr, std::memory_order_release);
      }
      if ((polls & 63) == 63 && std::chrono::steady_clock::now() - spin_start > kSpinBeforeSleep) {
        Job* open = nullptr;
        if (!mailbox.job.compare_exchange_strong(open, &closed_marker_, std::memory_order_acquire)) {
          job = open;
          break;
        }
        std::unique_lock<std::mutex> lock(mutex_);
        ++sleepers_;
        wake_.wait(lock, [&] { return stopping_ || (job = claim_job()) != nullptr; });
        --sleepers_;
        if (!job) return;  // stopping
        mailbox.job.store(&busy_marker_, std::memory_order_relaxed);
        break;
      }
      cpu_relax();
    }
    execute(job);
    // Open the mailbox before the last release of the job: its submitter may post the next one as soon
    // as it sees this worker gone from this one.
    mailbox.job.store(nullptr, std::memory_order_release);
    job->users.fetch_sub(1, std::memory_order_release);
  }
}

int ThreadPool::post(Job& job) {
  int taken = 0;
  for (size_t w = 0; w < workers_.size(); ++w) {
    job.users.fetch_add(1, std::memory_order_relaxed);
    Job* open = nullptr;
    if (mailboxes_[w].job.compare_exchange_strong(open, &job, std::memory_order_release, std::memory_order_relaxed))
      ++taken;
    else
      job.users.fetch_sub(1, std::memory_order_relaxed);
  }
  return taken;
}

void ThreadPool::run(int count, const std::function<void(int)>& task) {
  if (count <= 0) return;
  if (workers_.empty() || count == 1) {
    for (int i = 0; i < count; ++i) task(i);
    return;
  }
  Job job;
  job.task = &task;
  job.count = count;
  // Queued as well only when some worker is busy elsewhere or asleep: it may join later.
  const bool queued = post(job) < static_cast<int>(workers_.size());
  if (queued) {
    bool notify;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      jobs_.push_back(&job);
      queued_.fetch_add(1, std::memory_order_release);
      notify = sleepers_ > 0;
    }
    if (notify) wake_.notify_all();
  }
  execute(&job);
  if (queued) {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_.erase(std::find(jobs_.begin(), jobs_.end(), &job));
    queued_.fetch_sub(1, std::memory_order_release);
  }
  for (int polls = 0; job.finished.load(std::memory_order_acquire) < count ||
                      job.users.load(std::memory_order_acquire) > 0;
       ++polls) {
    // While others finish this job, take tasks of another submitter's job rather than spin.
    Job* other = nullptr;
    if (queued_.load(std::memory_order_acquire) > 0) {
      std::lock_guard<std::mutex> lock(mutex_);
      other = claim_job();
    }
    if (other) {
      execute(other);
      other->users.fetch_sub(1, std::memory_order_release);
      polls = 0;
    } else if (polls > 4096) {
      std::this_thread::yield();
    } else {
      cpu_relax();
    }
  }
}

void ThreadPool::parallel_for(int total, int grain, int chunks_per_thread,
                              const std::function<void(int, int)>& body) {
  if (total <= 0) return;
  grain = std::max(1, grain);
  int units = (total + grain - 1) / grain;
  int chunks = std::min(units, std::max(1, num_threads() * chunks_per_thread));
  run(chunks, [&](int c) {
    int begin = static_cast<int>(static_cast<int64_t>(units) * c / chunks) * grain;
    int end = std::min(total, static_cast<int>(static_cast<int64_t>(units) * (c + 1) / chunks) * grain);
    if (begin < end) body(begin, end);
  });
}

namespace {

// The owner takes this fraction of its share's remainder at a time: long runs while much is left, small
// pieces near the end where a helper may be about to take the rest.
constexpr uint32_t kOwnerTakesOneIn = 4;

// A thread's share of units, [front, back) in one word: its owner takes from the front and others from
// the back, each with one compare-and-swap. A cache line of its own, or every take would pull the line
// from the other core.
class alignas(64) Share {
 public:
  void assign(uint32_t front, uint32_t back) { range_.store(pack(front, back), std::memory_order_relaxed); }
  // Takes 1/kOwnerTakesOneIn of what is left (at least one unit) from the front; false when none is left.
  bool take_front(uint32_t& begin, uint32_t& end) {
    uint64_t range = range_.load(std::memory_order_relaxed);
    for (;;) {
      const uint32_t front = first(range), back = last(range);
      if (front >= back) return false;
      const uint32_t taken = std::max(1u, (back - front) / kOwnerTakesOneIn);
      if (range_.compare_exchange_weak(range, pack(front + taken, back), std::memory_order_relaxed)) {
        begin = front;
        end = front + taken;
        return true;
      }
    }
  }
  // Takes the back half (rounded up) of what is left; false when none is left.
  bool take_back_half(uint32_t& begin, uint32_t& end) {
    uint64_t range = range_.load(std::memory_order_relaxed);
    for (;;) {
      const uint32_t front = first(range), back = last(range);
      if (front >= back) return false;
      const uint32_t taken = (back - front + 1) / 2;
      if (range_.compare_exchange_weak(range, pack(front, back - taken), std::memory_order_relaxed)) {
        begin = back - taken;
        end = back;
        return true;
      }
    }
  }

 private:
  static uint64_t pack(uint32_t front, uint32_t back) { return (static_cast<uint64_t>(front) << 32) | back; }
  static uint32_t first(uint64_t range) { return static_cast<uint32_t>(range >> 32); }
  static uint32_t last(uint64_t range) { return static_cast<uint32_t>(range); }
  std::atomic<uint64_t> range_{0};
};

// Shares live on the submitter's stack so the decode loop stays allocation-free; a pool of more threads
// uses this many of them for one product.
constexpr int kMaxShares = 64;
}  // namespace

void ThreadPool::parallel_for_balanced(int total, int grain, const std::function<void(int, int)>& body) {
  if (total <= 0) return;
  grain = std::max(1, grain);
  const uint32_t units = static_cast<uint32_t>((total + grain - 1) / grain);
  const int shares = static_cast<int>(std::min(units, static_cast<uint32_t>(std::min(num_threads(), kMaxShares))));
  Share share[kMaxShares];
  for (int t = 0; t < shares; ++t)
    share[t].assign(static_cast<uint32_t>(static_cast<uint64_t>(units) * t / shares),
                    static_cast<uint32_t>(static_cast<uint64_t>(units) * (t + 1) / shares));
  auto run_units = [&](uint32_t begin, uint32_t end) {
    body(static_cast<int>(begin) * grain, std::min(total, static_cast<int>(end) * grain));
  };
  run(shares, [&](int t) {
    uint32_t begin, end;
    while (share[t].take_front(begin, end)) run_units(begin, end);
    for (int other = 1; other < shares; ++other)
      while (share[(t + other) % shares].take_back_half(begin, end)) run_units(begin, end);
  });
}

std::vector<int> ThreadPool::set_pinning(const Topology& topology, bool pinned) {
  std::vector<int> cores;
  topology.bind_current_thread(pinned ? 0 : -1);
  if (pinned) cores.push_back(topology.core_pu(0));
  for (size_t i = 0; i < workers_.size(); ++i) {
    int core = static_cast<int>(i) + 1;
    topology.bind_thread(workers_[i].native_handle(), pinned ? core : -1);
    if (pinned) cores.push_back(topology.core_pu(core));
  }
  return cores;
}

}  // namespace t5
