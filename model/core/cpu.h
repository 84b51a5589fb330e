#pragma once

#include <string>
#include <vector>

namespace t5 {

struct CpuInfo {
  std::string model_name;
  std::vector<std::string> isa;  // the /proc/cpuinfo flags that matter to the kernels, in a fixed order
  bool has(const std::string& flag) const;
};

const CpuInfo& cpu_info();

// OpenBLAS 0.3.21 takes Zen 5 for Haswell and runs its AVX2 kernels at half the AVX-512 rate. When the
// CPU has AVX-512 and OPENBLAS_CORETYPE is unset, this sets it to SkylakeX and re-executes the program
// (OpenBLAS picks its kernels when it is loaded, before main). Returns only if no re-exec was needed.
void select_blas_kernels(char** argv);
std::string blas_core_name();

}  // namespace t5
