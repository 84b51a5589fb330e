#include "core/topology.h"

#include <hwloc.h>

#include <algorithm>
#include <stdexcept>

namespace t5 {

struct Topology::Impl {
  hwloc_topology_t topology = nullptr;
  std::vector<hwloc_bitmap_t> core_sets;  // one PU per core
  hwloc_bitmap_t machine_set = nullptr;
};

namespace {

uint64_t first_cache_size(hwloc_topology_t topology, hwloc_obj_type_t type) {
  hwloc_obj_t obj = hwloc_get_obj_by_type(topology, type, 0);
  return obj && obj->attr ? obj->attr->cache.size : 0;
}

}  // namespace

Topology::Topology() : impl_(std::make_unique<Impl>()) {
  if (hwloc_topology_init(&impl_->topology) != 0 || hwloc_topology_load(impl_->topology) != 0)
    throw std::runtime_error("hwloc: cannot discover the machine topology");
  hwloc_topology_t topo = impl_->topology;
  int cores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
  for (int i = 0; i < cores; ++i) {
    hwloc_obj_t core = hwloc_get_obj_by_type(topo, HWLOC_OBJ_CORE, static_cast<unsigned>(i));
    hwloc_bitmap_t set = hwloc_bitmap_dup(core->cpuset);
    hwloc_bitmap_singlify(set);  // one hardware thread per core: SMT siblings share the FMA units
    impl_->core_sets.push_back(set);
    core_pus_.push_back(hwloc_bitmap_first(set));
  }
  if (core_pus_.empty()) {  // some VMs expose PUs only
    int pus = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
    for (int i = 0; i < pus; ++i) {
      hwloc_obj_t pu = hwloc_get_obj_by_type(topo, HWLOC_OBJ_PU, static_cast<unsigned>(i));
      impl_->core_sets.push_back(hwloc_bitmap_dup(pu->cpuset));
      core_pus_.push_back(static_cast<int>(pu->os_index));
    }
  }
  pu_count_ = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
  numa_nodes_ = std::max(1, hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE));
  l1d_ = first_cache_size(topo, HWLOC_OBJ_L1CACHE);
  l2_ = first_cache_size(topo, HWLOC_OBJ_L2CACHE);
  l3_ = first_cache_size(topo, HWLOC_OBJ_L3CACHE);
  impl_->machine_set = hwloc_bitmap_dup(hwloc_topology_get_topology_cpuset(topo));
  const struct {
    hwloc_obj_type_t type;
    int level;
    const char* name;
  } kCaches[] = {{HWLOC_OBJ_L1CACHE, 1, "Data"},
                 {HWLOC_OBJ_L1ICACHE, 1, "Instruction"},
                 {HWLOC_OBJ_L2CACHE, 2, "Unified"},
                 {HWLOC_OBJ_L3CACHE, 3, "Unified"}};
  for (const auto& cache : kCaches) {
    hwloc_obj_t obj = hwloc_get_obj_by_type(topo, cache.type, 0);
    if (!obj || !obj->attr) continue;
    caches_.push_back({cache.level, cache.name, obj->attr->cache.size, std::max(1, hwloc_bitmap_weight(obj->cpuset))});
  }
}

Topology::~Topology() {
  for (hwloc_bitmap_t set : impl_->core_sets) hwloc_bitmap_free(set);
  if (impl_->machine_set) hwloc_bitmap_free(impl_->machine_set);
  if (impl_->topology) hwloc_topology_destroy(impl_->topology);
}

bool Topology::bind_current_thread(int core) const {
  hwloc_const_bitmap_t set = core < 0 ? impl_->machine_set : impl_->core_sets[static_cast<size_t>(core) % impl_->core_sets.size()];
  return hwloc_set_cpubind(impl_->topology, set, HWLOC_CPUBIND_THREAD) == 0;
}

bool Topology::bind_thread(std::thread::native_handle_type thread, int core) const {
  hwloc_const_bitmap_t set = core < 0 ? impl_->machine_set : impl_->core_sets[static_cast<size_t>(core) % impl_->core_sets.size()];
  return hwloc_set_thread_cpubind(impl_->topology, thread, set, 0) == 0;
}

bool Topology::interleave_memory(const void* address, size_t bytes) const {
  if (numa_nodes_ < 2 || bytes == 0) return false;
  hwloc_const_nodeset_t nodes = hwloc_topology_get_topology_nodeset(impl_->topology);
  return hwloc_set_area_membind(impl_->topology, address, bytes, nodes, HWLOC_MEMBIND_INTERLEAVE,
                                HWLOC_MEMBIND_BYNODESET) == 0;
}

const Topology& machine_topology() {
  static const Topology topology;
  return topology;
}

}  // namespace t5
