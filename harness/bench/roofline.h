#pragma once

#include <cstddef>
#include <vector>

#include "core/thread_pool.h"

namespace t5bench {

// Machine ceilings measured in the same run as the benchmark, so the decode can be judged against the
// memory it must stream and the encoder against the sgemm rate it could reach. The probes run before and
// after the benchmark's runs and the ceiling is the better of the two: on a shared VM one probe can land
// while the host is busy and make the machine look slower than the runs found it.
struct Roofline {
  double read_gb_per_s = 0;  // all threads streaming a buffer far larger than the caches (best pass, best probe)
  double sgemm_gflops = 0;   // sgemm at the encoder's shape, split over the threads like the encoder
  std::vector<double> read_gb_per_s_probes, sgemm_gflops_probes;  // in the order they ran
  size_t probe_bytes = 0;
};

// Runs one read probe (a STREAM-like read: every thread sums its share of a `probe_bytes` buffer) and one
// sgemm probe (C[m, n] = A[m, k] · W[n, k]ᵀ through the encoder's GEMM path), each the best of 5 passes,
// and keeps the best of every probe so far.
void probe_roofline(Roofline& roofline, t5::ThreadPool& pool, int m, int n, int k);

}  // namespace t5bench
