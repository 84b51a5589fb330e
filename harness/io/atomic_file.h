#pragma once

#include <string>

namespace t5bench {

// Writes `contents` to `path` so that readers only ever see the old file or the whole new one: a
// temporary file in the same directory, flushed to disk, then renamed over the target. Two writers
// racing on one path leave one complete file. Errors name the path.
void write_file_atomically(const std::string& path, const std::string& contents);

}  // namespace t5bench
