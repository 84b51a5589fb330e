#pragma once

#include <string>
#include <vector>

namespace t5bench {

// Each command takes its arguments (after the command name) and returns the exit status:
// 0 success, 1 bad input or a failed check, 2 bad usage (thrown as UsageError).
int run_generate(const std::vector<std::string>& args);
int run_bench(const std::vector<std::string>& args);
int run_accuracy(const std::vector<std::string>& args);
int run_gate(const std::vector<std::string>& args);
int run_compare(const std::vector<std::string>& args);
int run_report(const std::vector<std::string>& args);

}  // namespace t5bench
