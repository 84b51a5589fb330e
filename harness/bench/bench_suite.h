#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "io/config.h"

namespace t5bench {

// A benchmark suite (suites/NAME.json): the conditions of a measurement.
//   {"name": "seed", "description": "...", "input_tokens": 128, "output_tokens": 32, "batch": 1,
//    "requests": 1, "warmup": 3, "runs": 10,
//    "prompts": {"kind": "random", "seed": 1}                  seeded ids, EOS last
//            or {"kind": "reference", "path": "REFERENCE.json"}  a reference suite's input ids
//   }
// Output tokens are generated with EOS ignored, so every run does the same work. "requests" > 1 makes a
// run a stream of that many requests (measured in requests/s).
struct BenchSuite {
  std::string path;
  std::string name;
  std::string description;
  int input_tokens = 0;
  int output_tokens = 0;
  int batch = 1;
  int requests = 1;
  int warmup = 0;
  int runs = 0;
  std::string prompt_kind;  // "random" or "reference"
  uint64_t prompt_seed = 1;
  std::string reference_path;  // resolved against the suite file's directory
};

BenchSuite parse_bench_suite(std::string_view text, const std::string& source);
BenchSuite load_bench_suite(const std::string& path);

// The input ids of `count` requests: random ids of input_tokens (EOS last, no special ids) or the
// reference suite's input ids in order, cycling. Errors name the suite.
std::vector<std::vector<int32_t>> bench_prompts(const BenchSuite& suite, const t5::T5Config& config, int count);

}  // namespace t5bench
