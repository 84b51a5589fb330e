#include "kernels/isa.h"

#include <cpuid.h>

#include <cstdint>

namespace t5 {

namespace {

constexpr const char* kTierNames[] = {"generic", "avx2", "avx512", "avx512_bf16"};

uint64_t read_xcr0() {
  uint32_t eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<uint64_t>(edx) << 32) | eax;
}

}  // namespace

const char* isa_tier_name(IsaTier tier) { return kTierNames[static_cast<int>(tier)]; }

bool parse_isa_tier(const std::string& name, IsaTier* tier) {
  for (IsaTier t : kIsaTiers)
    if (name == isa_tier_name(t)) {
      *tier = t;
      return true;
    }
  return false;
}

CpuFeatures detect_cpu_features() {
  CpuFeatures f;
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return f;
  const bool osxsave = c & bit_OSXSAVE;
  f.fma = c & bit_FMA;
  f.f16c = c & bit_F16C;
  if (osxsave) {
    // XCR0 bits 1-2: SSE and AVX state; 5-7: opmask, upper halves of zmm0-15, zmm16-31.
    const uint64_t xcr0 = read_xcr0();
    f.os_saves_ymm = (xcr0 & 0x6) == 0x6;
    f.os_saves_zmm = f.os_saves_ymm && (xcr0 & 0xe0) == 0xe0;
  }
  if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
    f.avx2 = b & bit_AVX2;
    f.avx512f = b & bit_AVX512F;
    f.avx512dq = b & bit_AVX512DQ;
    f.avx512bw = b & bit_AVX512BW;
    f.avx512vl = b & bit_AVX512VL;
    f.avx512_vnni = c & bit_AVX512VNNI;
  }
  if (__get_cpuid_count(7, 1, &a, &b, &c, &d)) f.avx512_bf16 = a & bit_AVX512BF16;
  return f;
}

std::string missing_for_tier(IsaTier tier, const CpuFeatures& f) {
  std::string missing;
  auto need = [&](bool present, const char* name) {
    if (!present) missing += (missing.empty() ? "" : ", ") + std::string(name);
  };
  if (tier >= IsaTier::Avx2) {
    need(f.avx2, "avx2");
    need(f.fma, "fma");
    need(f.f16c, "f16c");
    need(f.os_saves_ymm, "OS support for ymm registers");
  }
  if (tier >= IsaTier::Avx512) {
    need(f.avx512f, "avx512f");
    need(f.avx512bw, "avx512bw");
    need(f.avx512vl, "avx512vl");
    need(f.avx512dq, "avx512dq");
    need(f.os_saves_zmm, "OS support for zmm registers");
  }
  if (tier >= IsaTier::Avx512Bf16) {
    need(f.avx512_bf16, "avx512_bf16");
    need(f.avx512_vnni, "avx512_vnni");
  }
  return missing;
}

std::vector<IsaTier> supported_isa_tiers(const CpuFeatures& features) {
  std::vector<IsaTier> tiers;
  for (IsaTier t : kIsaTiers)
    if (missing_for_tier(t, features).empty()) tiers.push_back(t);
  return tiers;
}

IsaTier best_isa_tier(const CpuFeatures& features) { return supported_isa_tiers(features).back(); }

}  // namespace t5
