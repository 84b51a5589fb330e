#pragma once

#include <string>
#include <vector>

#include "io/json_file.h"
#include "t5.h"

namespace t5bench {

// Where and how a result was produced. Google Benchmark's context fields (date, host_name, executable,
// num_cpus, mhz_per_cpu, cpu_scaling_enabled, caches, load_avg, library_build_type) plus t5bench's own
// under "t5bench": version, git commit, compiler and flags, CPU model and ISA, hwloc topology, OpenBLAS
// kernels, machine class.
t5::json machine_context(const std::string& command_line);

// "x86_64-avx512-2c": what baselines are keyed by (architecture, widest vector ISA, physical cores).
std::string machine_class();

// The model as results describe it: name, weight precision, stored dtype, shape and a config hash.
t5::json model_description(const t5::Model& model);
std::string config_hash(const t5::T5Config& config);

// "t5bench bench --suite ..." as typed (arguments quoted where they need it), for the record.
std::string join_command_line(const std::string& command, const std::vector<std::string>& args);

}  // namespace t5bench
