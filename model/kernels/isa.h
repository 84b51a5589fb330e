#pragma once

#include <string>
#include <vector>

namespace t5 {

// The instruction-set tiers the kernels are compiled for, lowest first. Each tier's kernels live in their
// own translation units built with that tier's flags (model/kernels/generic, x86/avx2, x86/avx512); the
// rest of the program is built for a baseline every x86-64 CPU runs.
//   generic:     portable C++
//   avx2:        AVX2 + FMA + F16C
//   avx512:      AVX-512 F, BW, VL, DQ
//   avx512_bf16: avx512 plus AVX512_BF16 and AVX512_VNNI (bf16 dot products in the encoder GEMM)
enum class IsaTier { Generic, Avx2, Avx512, Avx512Bf16 };
inline constexpr IsaTier kIsaTiers[] = {IsaTier::Generic, IsaTier::Avx2, IsaTier::Avx512, IsaTier::Avx512Bf16};

const char* isa_tier_name(IsaTier tier);
// The tier of a name as isa_tier_name writes it; false for any other name.
bool parse_isa_tier(const std::string& name, IsaTier* tier);

// What CPUID reports and what the OS saves on a context switch (XGETBV): a tier needs both.
struct CpuFeatures {
  bool avx2 = false, fma = false, f16c = false;
  bool avx512f = false, avx512bw = false, avx512vl = false, avx512dq = false;
  bool avx512_bf16 = false, avx512_vnni = false;
  bool os_saves_ymm = false, os_saves_zmm = false;
};
CpuFeatures detect_cpu_features();
// The best tier `features` run, and every tier they run (lowest first).
IsaTier best_isa_tier(const CpuFeatures& features);
std::vector<IsaTier> supported_isa_tiers(const CpuFeatures& features);
// What a tier needs that `features` lack ("avx512_bf16, avx512_vnni"); empty when it runs.
std::string missing_for_tier(IsaTier tier, const CpuFeatures& features);

}  // namespace t5
