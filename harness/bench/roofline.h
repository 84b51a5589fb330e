#pragma once

#include <cstddef>

#include "core/thread_pool.h"

namespace t5bench {

// Machine ceilings measured in the same run as the benchmark, so the decode can be judged against the
// memory it must stream and the encoder against the sgemm rate it could reach.
struct Roofline {
  double read_gb_per_s = 0;  // all threads streaming a buffer far larger than the caches (best pass)
  double sgemm_gflops = 0;   // sgemm at the encoder's shape, split over the threads like the encoder
  size_t probe_bytes = 0;
};

// A STREAM-like read: every thread sums its share of a `bytes` buffer; best of `passes`.
double measure_read_bandwidth(t5::ThreadPool& pool, size_t bytes, int passes);
// C[m, n] = A[m, k] · W[n, k]ᵀ through the encoder's GEMM path; best of `passes`.
double measure_sgemm_gflops(t5::ThreadPool& pool, int m, int n, int k, int passes);

}  // namespace t5bench
