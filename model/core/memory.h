#pragma once

#include <cstdint>

namespace t5 {

// Memory the kernel says can be allocated without swapping (MemAvailable), in bytes; 0 when unknown.
uint64_t available_memory_bytes();

}  // namespace t5
