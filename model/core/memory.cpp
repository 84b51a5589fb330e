#include "core/memory.h"

#include <fstream>
#include <string>

namespace t5 {

uint64_t available_memory_bytes() {
  std::ifstream meminfo("/proc/meminfo");
  for (std::string line; std::getline(meminfo, line);)
    if (line.rfind("MemAvailable:", 0) == 0) return std::stoull(line.substr(13)) * 1024;  // the file says kB
  return 0;
}

}  // namespace t5
