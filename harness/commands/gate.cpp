// t5bench gate: results against a stored baseline. Exit 0 when every check passes, 1 when any fails
// (each violation on its own line) or, with --require-coverage, when a record is unchecked; 2 on bad
// input (a malformed baseline or result, a relative check that can never fail).

#include <cstdio>
#include <sys/stat.h>

#include "cli/args.h"
#include "commands/commands.h"
#include "core/error.h"
#include "gate/baseline.h"
#include "io/atomic_file.h"

namespace t5bench {

namespace {

// Each record with the entries that applied to it; an unchecked record with its key and the command
// that writes an entry for it. Returns how many records were unchecked.
int print_coverage(const Baseline& baseline, const std::vector<ResultRecord>& records, const std::string& baseline_path) {
  std::string update_command = "t5bench gate --update";
  std::vector<std::string> unchecked_files;
  int unchecked = 0;
  std::printf("coverage by %s:\n", baseline_path.c_str());
  for (const RecordCoverage& c : gate_coverage(baseline, records)) {
    if (c.entries.empty()) {
      std::printf("UNCHECKED %s (%s): no entry applies\n", c.record->label().c_str(), c.record->key_text().c_str());
      ++unchecked;
      bool listed = false;
      for (const std::string& file : unchecked_files) listed |= file == c.record->file;
      if (!listed) {
        unchecked_files.push_back(c.record->file);
        update_command += " --result " + c.record->file;
      }
      continue;
    }
    std::string entries;
    for (size_t i : c.entries) {
      if (!entries.empty()) entries += ", ";
      entries += "entries[" + std::to_string(i) + "]";
    }
    std::printf("  %s (%s): %s\n", c.record->label().c_str(), c.record->key_text().c_str(), entries.c_str());
  }
  if (unchecked)
    std::printf("to check the %d unchecked record(s), add entries for them: %s --baseline %s\n", unchecked,
                update_command.c_str(), baseline_path.c_str());
  return unchecked;
}

}  // namespace

int run_gate(const std::vector<std::string>& argv) {
  Args args("gate", argv, Args::Spec{{"baseline", "margin"}, {"result"}, {"update", "require-coverage"}});
  const std::vector<std::string> results = args.all("result");
  if (results.empty()) throw UsageError("at least one --result FILE is required");
  const std::string baseline_path = args.required("baseline");
  const double margin = args.number("margin", 10, 0, 1000);
  try {
    std::vector<ResultRecord> records;
    for (const std::string& path : results) {
      std::vector<ResultRecord> from_file = load_result_records(path);
      records.insert(records.end(), from_file.begin(), from_file.end());
    }
    if (args.flag("update")) {
      struct stat st;
      Baseline existing = ::stat(baseline_path.c_str(), &st) == 0 ? load_baseline(baseline_path) : Baseline{};
      if (existing.description.empty()) existing.description = "written by t5bench gate --update";
      const Baseline updated = update_baseline(existing, records, margin);
      write_file_atomically(baseline_path, baseline_to_json(updated).dump(2) + "\n");
      std::printf("gate: wrote %s (%zu entries)\n", baseline_path.c_str(), updated.entries.size());
      return 0;
    }
    const Baseline baseline = load_baseline(baseline_path);
    const std::vector<GateCheck> checks = evaluate_gate(baseline, records);
    if (checks.empty()) {
      std::printf("FAIL no entry of %s applies to %zu result record(s) (machine class %s): nothing was checked\n",
                  baseline_path.c_str(), records.size(), records[0].keys.at("machine_class").c_str());
      print_coverage(baseline, records, baseline_path);
      return 1;
    }
    int failures = 0;
    for (const GateCheck& c : checks) {
      std::printf("%s %s %s: %s\n", c.passed ? "PASS" : "FAIL", c.record.c_str(), c.metric.c_str(), c.detail.c_str());
      failures += !c.passed;
    }
    const int unchecked = print_coverage(baseline, records, baseline_path);
    const bool require_coverage = args.flag("require-coverage");
    std::printf("gate: %d of %zu checks failed against %s; %d of %zu records unchecked%s\n", failures, checks.size(),
                baseline_path.c_str(), unchecked, records.size(),
                unchecked && require_coverage ? " (--require-coverage: a failure)" : "");
    return failures || (unchecked && require_coverage) ? 1 : 0;
  } catch (const t5::Error& e) {
    std::fprintf(stderr, "t5bench gate: %s\n", e.what());
    return 2;  // bad input is its own status here: CI must tell "regressed" from "could not judge"
  }
}

}  // namespace t5bench
