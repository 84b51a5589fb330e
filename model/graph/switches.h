#pragma once

#include <string>
#include <vector>

namespace t5 {

// The optimizations, each switchable alone. `baseline()` is the plain implementation: materialized
// attention scores with a separate softmax, a self-attention cache grown by reallocation with
// cross-attention K/V recomputed at every step, separate Q/K/V and wi_0/wi_1 products, OpenBLAS sgemv for
// decode products and OpenBLAS sgemm for encoder products, unpinned threads, one request at a time.
struct Switches {
  bool fused_attention = false;    // online-softmax attention with a per-distance bias table
  bool preallocated_kv = false;    // one KV buffer per request; cross-attention K/V computed once
  bool fused_projections = false;  // Q|K|V, wi_0|wi_1 (gate in the epilogue), cross K|V as single products
  bool pinned_threads = false;     // one worker per physical core, bound through hwloc
  bool overlap = false;            // request pipeline on the task queue: next encoder during this decode
  bool blocked_gemv = false;       // our cache-blocked decode GEMV instead of OpenBLAS sgemv
  bool blocked_gemm = false;       // our register-blocked AVX-512 GEMM instead of OpenBLAS sgemm (encoder)

  static Switches baseline() { return {}; }
  static Switches optimized() { return {true, true, true, true, true, true, true}; }

  // Names as the harness spells them, in this order.
  static const std::vector<std::string>& names();
  bool get(const std::string& name) const;
  void set(const std::string& name, bool on);  // throws std::invalid_argument on an unknown name
  std::string enabled_list() const;            // "fused_attention,preallocated_kv" or "none"
  bool operator==(const Switches&) const = default;
};

}  // namespace t5
