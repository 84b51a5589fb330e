#pragma once

#include <string>
#include <vector>

namespace t5 {

// The published google/flan-t5-* config.json files (shape and semantics; task presets omitted), so the
// real shapes can be benchmarked with synthetic weights on a machine that has nothing downloaded.
// Returns the JSON text for a name like "flan-t5-base", or an empty string.
std::string builtin_config(const std::string& name);
std::vector<std::string> builtin_config_names();

}  // namespace t5
