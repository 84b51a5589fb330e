#include "core/thread_pool.h"

#include <gtest/gtest.h>

#include <sched.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "core/topology.h"

namespace {

TEST(ThreadPool, RunsEveryTaskExactlyOnce) {
  t5::ThreadPool pool(4);
  EXPECT_EQ(pool.num_threads(), 4);
  for (int count : {1, 2, 3, 7, 64, 1000}) {
    std::vector<std::atomic<int>> runs(static_cast<size_t>(count));
    pool.run(count, [&](int i) { runs[static_cast<size_t>(i)].fetch_add(1); });
    for (int i = 0; i < count; ++i) EXPECT_EQ(runs[static_cast<size_t>(i)].load(), 1) << "task " << i << " of " << count;
  }
}

TEST(ThreadPool, ParallelForCoversTheRangeInGrainMultiples) {
  t5::ThreadPool pool(3);
  const int total = 1003, grain = 16;
  std::vector<std::atomic<int>> hits(total);
  std::atomic<int> misaligned{0};
  pool.parallel_for(total, grain, 2, [&](int begin, int end) {
    if (begin % grain != 0 || (end % grain != 0 && end != total)) misaligned.fetch_add(1);
    for (int i = begin; i < end; ++i) hits[static_cast<size_t>(i)].fetch_add(1);
  });
  EXPECT_EQ(misaligned.load(), 0);
  for (int i = 0; i < total; ++i) ASSERT_EQ(hits[static_cast<size_t>(i)].load(), 1) << i;
}

TEST(ThreadPool, BalancedParallelForCoversTheRangeOnceInGrainMultiples) {
  for (int threads : {1, 2, 3, 4}) {
    t5::ThreadPool pool(threads);
    for (int total : {1, 7, 8, 1003, 32128}) {
      const int grain = 8;
      std::vector<std::atomic<int>> hits(static_cast<size_t>(total));
      std::atomic<int> misaligned{0};
      pool.parallel_for_balanced(total, grain, [&](int begin, int end) {
        if (begin >= end || begin % grain != 0 || (end % grain != 0 && end != total)) misaligned.fetch_add(1);
        for (int i = begin; i < end; ++i) hits[static_cast<size_t>(i)].fetch_add(1);
      });
      EXPECT_EQ(misaligned.load(), 0) << threads << " threads, total " << total;
      for (int i = 0; i < total; ++i)
        ASSERT_EQ(hits[static_cast<size_t>(i)].load(), 1) << threads << " threads, total " << total << ", index " << i;
    }
  }
}

// Blocks until `flag` is set (true) or a generous deadline passes (false): the deadline only ends a test
// whose code never sets the flag, so a broken pool fails rather than hangs.
class Event {
 public:
  void set() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      set_ = true;
    }
    changed_.notify_all();
  }
  bool wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(20), [&] { return set_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool set_ = false;
};

TEST(ThreadPool, BalancedParallelForFinishesAStalledShareOnAnotherThread) {
  t5::ThreadPool pool(2);
  // Two shares of 64 units of 8: [0, 512) and [512, 1024). Each owner's first piece is a quarter of its share.
  const int total = 1024, grain = 8;
  std::vector<std::thread::id> ran_by(static_cast<size_t>(total));
  Event first_owner_stalled, first_share_end_ran;
  bool helped = false;
  pool.parallel_for_balanced(total, grain, [&](int begin, int end) {
    for (int i = begin; i < end; ++i) ran_by[static_cast<size_t>(i)] = std::this_thread::get_id();
    if (begin == 0 && end == 128) {  // the first share's owner stalls on its first piece until helped
      first_owner_stalled.set();
      helped = first_share_end_ran.wait();
    }
    if (begin == 512 && end == 640) first_owner_stalled.wait();  // the other owner starts once it has stalled
    if (end == 512) first_share_end_ran.set();
  });
  EXPECT_TRUE(helped) << "nobody took over the stalled share";
  EXPECT_EQ(ran_by[0], ran_by[127]);
  EXPECT_NE(ran_by[0], ran_by[511]);  // the back of the stalled share ran on the other thread
  EXPECT_EQ(ran_by[511], ran_by[512]);
}

TEST(ThreadPool, SeveralSubmittersShareTheWorkers) {
  t5::ThreadPool pool(2);
  constexpr int kSubmitters = 4, kJobs = 200, kTasks = 5;
  std::atomic<long> sum{0};
  std::vector<std::thread> submitters;
  for (int s = 0; s < kSubmitters; ++s)
    submitters.emplace_back([&] {
      for (int j = 0; j < kJobs; ++j) pool.run(kTasks, [&](int i) { sum.fetch_add(i + 1); });
    });
  for (std::thread& t : submitters) t.join();
  EXPECT_EQ(sum.load(), static_cast<long>(kSubmitters) * kJobs * (kTasks * (kTasks + 1) / 2));
}

TEST(ThreadPool, WorkersSleepAndWakeAgain) {
  t5::ThreadPool pool(2);
  std::atomic<int> count{0};
  pool.run(4, [&](int) { count.fetch_add(1); });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // past the spin window: workers sleep
  pool.run(4, [&](int) { count.fetch_add(1); });
  EXPECT_EQ(count.load(), 8);
}

// The processors the calling thread may run on, as the kernel has them.
std::vector<int> affinity_of_this_thread() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) != 0) return {};
  std::vector<int> processors;
  for (int p = 0; p < CPU_SETSIZE; ++p)
    if (CPU_ISSET(p, &set)) processors.push_back(p);
  return processors;
}

// Every thread of the pool's affinity: each task holds its thread until all threads hold one, so each
// thread runs exactly one task.
std::vector<std::vector<int>> pool_affinities(t5::ThreadPool& pool) {
  const int threads = pool.num_threads();
  std::vector<std::vector<int>> affinities(static_cast<size_t>(threads));
  std::atomic<int> started{0};
  pool.run(threads, [&](int i) {
    started.fetch_add(1);
    while (started.load() < threads) std::this_thread::yield();
    affinities[static_cast<size_t>(i)] = affinity_of_this_thread();
  });
  return affinities;
}

TEST(ThreadPool, PinningBindsEachThreadToTheProcessorItReports) {
  const t5::Topology& topology = t5::machine_topology();
  const std::vector<int> unpinned = affinity_of_this_thread();
  ASSERT_FALSE(unpinned.empty());
  t5::ThreadPool pool(topology.core_count());
  const std::vector<int> cores = pool.set_pinning(topology, true);
  ASSERT_EQ(static_cast<int>(cores.size()), pool.num_threads());
  for (int i = 0; i < static_cast<int>(cores.size()); ++i) EXPECT_EQ(cores[static_cast<size_t>(i)], topology.core_pu(i));
  EXPECT_EQ(affinity_of_this_thread(), std::vector<int>{cores[0]});  // the calling thread comes first
  std::multiset<int> bound;
  for (const std::vector<int>& affinity : pool_affinities(pool)) {
    ASSERT_EQ(affinity.size(), 1u) << "a thread may still run on several processors";
    bound.insert(affinity[0]);
  }
  EXPECT_EQ(bound, std::multiset<int>(cores.begin(), cores.end()));

  EXPECT_TRUE(pool.set_pinning(topology, false).empty());
  EXPECT_EQ(affinity_of_this_thread(), unpinned);
  for (const std::vector<int>& affinity : pool_affinities(pool)) EXPECT_EQ(affinity, unpinned);
}

}  // namespace
