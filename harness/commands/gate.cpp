// t5bench gate: results against a stored baseline. Exit 0 when every check passes, 1 when any fails
// (each violation on its own line), 2 on bad input (a malformed baseline or result).

#include <cstdio>
#include <sys/stat.h>

#include "cli/args.h"
#include "commands/commands.h"
#include "core/error.h"
#include "gate/baseline.h"
#include "io/atomic_file.h"

namespace t5bench {

int run_gate(const std::vector<std::string>& argv) {
  Args args("gate", argv, Args::Spec{{"baseline", "margin"}, {"result"}, {"update"}});
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
      return 1;
    }
    int failures = 0;
    for (const GateCheck& c : checks) {
      std::printf("%s %s %s: %s\n", c.passed ? "PASS" : "FAIL", c.record.c_str(), c.metric.c_str(), c.detail.c_str());
      failures += !c.passed;
    }
    std::printf("gate: %d of %zu checks failed against %s\n", failures, checks.size(), baseline_path.c_str());
    return failures ? 1 : 0;
  } catch (const t5::Error& e) {
    std::fprintf(stderr, "t5bench gate: %s\n", e.what());
    return 2;  // bad input is its own status here: CI must tell "regressed" from "could not judge"
  }
}

}  // namespace t5bench
