#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace t5 {

struct CacheLevel {
  int level = 0;
  const char* type = "Unified";  // "Data", "Instruction" or "Unified", as Google Benchmark names them
  uint64_t bytes = 0;
  int shared_by = 1;  // processing units sharing one instance
};

// The machine as hwloc sees it: physical cores (one processing unit chosen per core), caches, NUMA nodes.
// Binding calls apply to one thread; they are no-ops where the OS refuses them (the result is reported).
class Topology {
 public:
  Topology();
  ~Topology();
  Topology(const Topology&) = delete;
  Topology& operator=(const Topology&) = delete;

  int core_count() const { return static_cast<int>(core_pus_.size()); }
  int pu_count() const { return pu_count_; }
  int numa_node_count() const { return numa_nodes_; }
  uint64_t l1d_bytes() const { return l1d_; }
  uint64_t l2_bytes() const { return l2_; }
  uint64_t l3_bytes() const { return l3_; }
  const std::vector<CacheLevel>& caches() const { return caches_; }
  // The OS index of the processing unit used for core `core`.
  int core_pu(int core) const { return core_pus_[static_cast<size_t>(core) % core_pus_.size()]; }

  // Binds the calling thread / a thread to one core, or to the whole machine with core < 0.
  bool bind_current_thread(int core) const;
  bool bind_thread(std::thread::native_handle_type thread, int core) const;
  // Spreads a memory range across the NUMA nodes (page interleave); false where there is only one node.
  bool interleave_memory(const void* address, size_t bytes) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<int> core_pus_;
  int pu_count_ = 0;
  int numa_nodes_ = 1;
  uint64_t l1d_ = 0, l2_ = 0, l3_ = 0;
  std::vector<CacheLevel> caches_;
};

// One process-wide topology; hwloc's discovery costs milliseconds.
const Topology& machine_topology();

}  // namespace t5
