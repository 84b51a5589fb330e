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

// The kernel family OpenBLAS chose when it was loaded ("Cooperlake", "Haswell", ...): its own CPU
// detection unless OPENBLAS_CORETYPE overrides it.
std::string blas_core_name();

}  // namespace t5
