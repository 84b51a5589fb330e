#pragma once

#include <cstdio>
#include <string>

#include "io/json_file.h"

namespace t5bench {

// The terminal view of a bench result: one row per configuration with its ratio to the first.
void print_bench_table(const t5::json& result, std::FILE* out);

// A one-line progress bar on stderr, drawn only when stderr is a terminal.
class ProgressBar {
 public:
  ProgressBar();
  void update(int done, int total, const std::string& label, bool warmup);
  void finish();

 private:
  bool enabled_;
  bool drawn_ = false;
};

}  // namespace t5bench
