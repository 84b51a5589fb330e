#include "core/cpu.h"

#include <algorithm>
#include <fstream>
#include <sstream>

extern "C" {
char* openblas_get_corename(void);
}

namespace t5 {

namespace {

constexpr const char* kInterestingFlags[] = {"sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512dq",
                                             "avx512bw", "avx512vl", "avx512_bf16", "avx512_vnni", "avx_vnni",
                                             "avx512_fp16", "amx_bf16", "amx_int8"};

CpuInfo read_cpu_info() {
  CpuInfo info;
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  std::vector<std::string> flags;
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, line.find_last_not_of(" \t", colon - 1) + 1);
    std::string value = colon + 2 <= line.size() ? line.substr(colon + 2) : "";
    if (key == "model name" && info.model_name.empty()) info.model_name = value;
    if (key == "flags" && flags.empty()) {
      std::istringstream words(value);
      for (std::string w; words >> w;) flags.push_back(w);
    }
  }
  for (const char* flag : kInterestingFlags)
    if (std::find(flags.begin(), flags.end(), flag) != flags.end()) info.isa.push_back(flag);
  if (info.model_name.empty()) info.model_name = "unknown";
  return info;
}

}  // namespace

bool CpuInfo::has(const std::string& flag) const { return std::find(isa.begin(), isa.end(), flag) != isa.end(); }

const CpuInfo& cpu_info() {
  static const CpuInfo info = read_cpu_info();
  return info;
}

std::string blas_core_name() {
  const char* name = openblas_get_corename();
  return name ? name : "unknown";
}

}  // namespace t5
