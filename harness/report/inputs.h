#pragma once

#include <map>
#include <string>
#include <vector>

#include "results/result_file.h"

namespace t5bench::report {

// The result types, read by results/result_file.h, as the report's code names them.
using t5bench::AccuracyFigures;
using t5bench::AccuracyResult;
using t5bench::BenchConfiguration;
using t5bench::BenchResult;
using t5bench::Divergence;
using t5bench::kOpKindCount;
using t5bench::kOpKindNames;
using t5bench::RunContext;
using t5bench::Stat;

struct ReportInputs {
  std::vector<BenchResult> bench;        // --results, in the order given
  std::vector<AccuracyResult> accuracy;  // --results, in the order given
  std::vector<BenchResult> history;      // earlier releases, oldest first
  std::map<std::string, std::string> notes;  // configuration name -> sentence
};

// Reads a bench or accuracy result (results/result_file.h) into `inputs`.
void load_result(const std::string& path, ReportInputs& inputs);

// Every *.json bench result in `directory`, ordered by version, then date. Accuracy results there are
// skipped; any other file is an error.
std::vector<BenchResult> load_history(const std::string& directory);

// {"<configuration name>": "sentence", ...}; every name must be a configuration of `bench`.
std::map<std::string, std::string> load_notes(const std::string& path, const std::vector<BenchResult>& bench);

// Release versions compared number by number ("0.10.0" after "0.9.1"); negative, zero or positive.
int compare_versions(const std::string& a, const std::string& b);

}  // namespace t5bench::report
