#include "core/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
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

TEST(ThreadPool, BalancedParallelForFinishesAStalledShareOnAnotherThread) {
  t5::ThreadPool pool(2);
  const int total = 1024, grain = 8;
  std::vector<std::thread::id> ran_by(static_cast<size_t>(total));
  pool.parallel_for_balanced(total, grain, [&](int begin, int end) {
    if (begin == 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the first share's owner stalls
    for (int i = begin; i < end; ++i) ran_by[static_cast<size_t>(i)] = std::this_thread::get_id();
  });
  // The first share is [0, 512): its owner took only its first piece before stalling.
  EXPECT_NE(ran_by[0], ran_by[511]);
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

TEST(ThreadPool, PinningReportsOneProcessorPerThread) {
  const t5::Topology& topology = t5::machine_topology();
  t5::ThreadPool pool(topology.core_count());
  std::vector<int> cores = pool.set_pinning(topology, true);
  ASSERT_EQ(static_cast<int>(cores.size()), pool.num_threads());
  for (int i = 0; i < static_cast<int>(cores.size()); ++i) EXPECT_EQ(cores[static_cast<size_t>(i)], topology.core_pu(i));
  EXPECT_TRUE(pool.set_pinning(topology, false).empty());
}

}  // namespace
