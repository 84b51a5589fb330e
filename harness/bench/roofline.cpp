#include "bench/roofline.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <vector>

#include "core/aligned_buffer.h"
#include "kernels/gemm.h"
#include "kernels/dispatch.h"

namespace t5bench {

namespace {

template <typename F>
double best_seconds(int passes, F&& body) {
  double best = 1e30;
  for (int p = 0; p < passes; ++p) {
    const auto start = std::chrono::steady_clock::now();
    body();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

double measure_read_bandwidth(t5::ThreadPool& pool, size_t bytes, int passes) {
  const size_t n = bytes / sizeof(float) / 1024 * 1024;
  t5::AlignedBuffer<float> buffer(n);
  const int threads = pool.num_threads();
  pool.run(threads, [&](int t) {  // each thread touches its own share first (its pages, its NUMA node)
    const size_t begin = n * t / threads, end = n * (t + 1) / threads;
    for (size_t i = begin; i < end; ++i) buffer[i] = 1.0f;
  });
  std::vector<float> sums(static_cast<size_t>(threads));
  const double seconds = best_seconds(passes, [&] {
    pool.run(threads, [&](int t) {
      const size_t begin = n * t / threads / 64 * 64, end = t + 1 == threads ? n : n * (t + 1) / threads / 64 * 64;
      sums[static_cast<size_t>(t)] = t5::kernels().sum_floats(buffer.data() + begin, end - begin);
    });
  });
  float total = 0;  // keeps the sums alive
  for (float s : sums) total += s;
  return total > 0 ? static_cast<double>(n * sizeof(float)) / seconds / 1e9 : 0;
}

double measure_sgemm_gflops(t5::ThreadPool& pool, int m, int n, int k, int passes) {
  std::vector<float> a(static_cast<size_t>(m) * k, 0.01f), w(static_cast<size_t>(n) * k, 0.02f),
      c(static_cast<size_t>(m) * n);
  t5::WeightMatrix matrix;
  matrix.rows = n;
  matrix.cols = k;
  matrix.data = w.data();
  const double seconds = best_seconds(passes, [&] {
    pool.parallel_for(n, 16, 1, [&](int begin, int end) {
      t5::matmul(a.data(), k, m, matrix.row_slice(begin, end - begin), c.data() + begin, n, false);
    });
  });
  return 2.0 * m * n * k / seconds / 1e9;
}

}  // namespace

void probe_roofline(Roofline& roofline, t5::ThreadPool& pool, int m, int n, int k) {
  constexpr int kPasses = 5;
  roofline.read_gb_per_s_probes.push_back(measure_read_bandwidth(pool, roofline.probe_bytes, kPasses));
  roofline.sgemm_gflops_probes.push_back(measure_sgemm_gflops(pool, m, n, k, kPasses));
  roofline.read_gb_per_s = *std::max_element(roofline.read_gb_per_s_probes.begin(), roofline.read_gb_per_s_probes.end());
  roofline.sgemm_gflops = *std::max_element(roofline.sgemm_gflops_probes.begin(), roofline.sgemm_gflops_probes.end());
}

}  // namespace t5bench
