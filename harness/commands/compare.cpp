// t5bench compare A.json B.json: two bench results (a base and a change), configuration by
// configuration, with effect sizes. Exit 0, or 1 when --max-regression is given and some metric's whole
// 95% interval lies beyond it; 2 on bad input or usage.

#include <cstdio>

#include "cli/args.h"
#include "commands/commands.h"
#include "compare/comparison.h"
#include "core/error.h"
#include "io/atomic_file.h"

namespace t5bench {

namespace {

BenchResult read_bench_result(const std::string& path) {
  ResultFile file = read_result_file(path);
  if (!file.bench) t5::fail(path, "is an accuracy result; compare takes two bench results");
  return std::move(*file.bench);
}

}  // namespace

int run_compare(const std::vector<std::string>& argv) {
  if (argv.size() < 2 || argv[0].rfind("--", 0) == 0 || argv[1].rfind("--", 0) == 0)
    throw UsageError("compare takes two result files first: compare A.json B.json [options]");
  const Args args("compare", std::vector<std::string>(argv.begin() + 2, argv.end()),
                  Args::Spec{{"max-regression", "format", "out"}, {}, {}});
  const std::string format = args.value("format").value_or("text");
  if (format != "text" && format != "markdown") throw UsageError("option '--format' takes text or markdown");
  std::optional<double> max_regression;
  if (args.has("max-regression")) max_regression = args.number("max-regression", 0, 0, 1000);
  try {
    const BenchResult a = read_bench_result(argv[0]), b = read_bench_result(argv[1]);
    const ResultComparison comparison = compare_results(a, b);
    if (const auto out = args.value("out"))
      write_file_atomically(*out, comparison_json(comparison, max_regression).dump(2) + "\n");
    const std::string table = format == "markdown" ? comparison_markdown(comparison, max_regression)
                                                   : comparison_text(comparison, max_regression);
    std::fputs(table.c_str(), stdout);
    if (!max_regression) return 0;
    for (const MetricComparison& m : comparison.metrics)
      if (m.regressed_beyond(*max_regression)) return 1;
    return 0;
  } catch (const t5::Error& e) {
    std::fprintf(stderr, "t5bench compare: %s\n", e.what());
    return 2;  // as gate: "regressed" (1) must differ from "could not judge"
  }
}

}  // namespace t5bench
