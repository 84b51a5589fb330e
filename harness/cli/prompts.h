#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "t5.h"

namespace t5bench {

struct Prompt {
  std::string source;  // "--prompt" or "FILE:LINE", for error messages
  std::string text;
  std::vector<int32_t> input_ids;
};

// Reads prompts from one --prompt text or a --prompts file (one per line) and turns each into input ids:
// tokenized (EOS appended), or with `ids_given` parsed as space-separated ids used as they are. Every
// prompt is checked before any is run.
std::vector<Prompt> read_prompts(const std::string* text, const std::string* file, bool ids_given,
                                 const t5::Model& model);

std::vector<int32_t> parse_ids(const std::string& text, const std::string& source);

}  // namespace t5bench
