#include "kernels/dispatch.h"

#include <atomic>
#include <cstdlib>

#include "core/error.h"

namespace t5 {

// Each tier's table (model/kernels/tier_table.cpp, built once per tier): constant data, no code runs to make it.
namespace generic { extern const KernelTable kKernels; }
namespace avx2 { extern const KernelTable kKernels; }
namespace avx512 { extern const KernelTable kKernels; }
namespace avx512_bf16 { extern const KernelTable kKernels; }

namespace {

const KernelTable* const kTables[] = {&generic::kKernels, &avx2::kKernels, &avx512::kKernels,
                                      &avx512_bf16::kKernels};

std::atomic<const KernelTable*> active_table{nullptr};

const CpuFeatures& host_features() {
  static const CpuFeatures features = detect_cpu_features();
  return features;
}

}  // namespace

const std::vector<IsaTier>& host_isa_tiers() {
  static const std::vector<IsaTier> tiers = supported_isa_tiers(host_features());
  return tiers;
}

IsaTier isa_tier_from_environment() {
  const char* name = std::getenv("T5BENCH_ISA");
  if (!name || !*name) return host_isa_tiers().back();
  IsaTier tier;
  if (!parse_isa_tier(name, &tier))
    fail(std::string("T5BENCH_ISA=") + name, "unknown instruction-set tier (generic, avx2, avx512, avx512_bf16)");
  const std::string missing = missing_for_tier(tier, host_features());
  if (!missing.empty()) fail(std::string("T5BENCH_ISA=") + name, "this CPU lacks " + missing);
  return tier;
}

void set_isa_tier(IsaTier tier) {
  const std::string missing = missing_for_tier(tier, host_features());
  if (!missing.empty()) fail(std::string("ISA tier ") + isa_tier_name(tier), "this CPU lacks " + missing);
  active_table.store(kTables[static_cast<int>(tier)], std::memory_order_release);
}

const KernelTable& kernels() {
  const KernelTable* table = active_table.load(std::memory_order_acquire);
  if (table) return *table;
  static const KernelTable* const chosen = kTables[static_cast<int>(isa_tier_from_environment())];
  const KernelTable* expected = nullptr;
  active_table.compare_exchange_strong(expected, chosen, std::memory_order_acq_rel);
  return *active_table.load(std::memory_order_acquire);
}

IsaTier active_isa_tier() { return kernels().tier; }

}  // namespace t5
