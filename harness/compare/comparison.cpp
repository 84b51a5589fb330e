#include "compare/comparison.h"

#include <cmath>
#include <cstdio>

#include "core/error.h"
#include "stats/text.h"

namespace t5bench {

namespace {

struct Headline {
  const char* metric;
  const char* label;
  bool higher_is_better;
};
constexpr Headline kHeadlines[] = {
    {"end_to_end_ms", "end-to-end P50 ms", false}, {"encoder_ms", "encoder P50 ms", false},
    {"decoder_ms", "decoder P50 ms", false},       {"per_token_ms", "ms/token P50", false},
    {"tokens_per_second", "tokens/s P50", true},
};

std::string printf_text(const char* format, double v) {
  char text[64];
  std::snprintf(text, sizeof text, format, v);
  return text;
}

// The columns every format shows, as text.
struct Row {
  std::string configuration, metric, median_a, median_b, ratio, shift, p, verdict;
};

Row row_of(const MetricComparison& m, std::optional<double> max_regression) {
  Row r;
  r.configuration = m.configuration + " " + m.precision;
  r.metric = m.label;
  r.median_a = short_number(m.median_a);
  r.median_b = short_number(m.median_b);
  r.ratio = printf_text("%.3fx", m.ratio());
  r.shift = shift_percent_text(m.shift, m.median_a);
  r.p = printf_text("%.3g", m.p_two_sided);
  if (max_regression) r.verdict = m.regressed_beyond(*max_regression) ? "REGRESSED" : "ok";
  return r;
}

std::string summary_line(const ResultComparison& c, std::optional<double> max_regression) {
  if (!max_regression) return "compare: " + std::to_string(c.metrics.size()) + " metrics compared (no --max-regression)";
  int regressed = 0;
  for (const MetricComparison& m : c.metrics) regressed += m.regressed_beyond(*max_regression);
  return "compare: " + std::to_string(regressed) + " of " + std::to_string(c.metrics.size()) +
         " metrics regressed beyond " + short_number(*max_regression) + "% (the whole 95% interval worse)";
}

std::string source_line(const ResultComparison& c) {
  auto describe = [](const char* name, const BenchResult& r) {
    return std::string(name) + " " + r.path + " (" + r.context.machine_class + ", commit " +
           r.context.git_commit.substr(0, 12) + (r.context.git_dirty ? " dirty" : "") + ", " + r.context.date + ")";
  };
  return describe("A", *c.a) + " against " + describe("B", *c.b) + "; suite " + c.a->suite.name + ", model " +
         c.a->context.model_name;
}

}  // namespace

std::optional<double> MetricComparison::least_regression_percent() const {
  if (!shift.bounded() || median_a == 0) return std::nullopt;
  // Latency is worse upwards, so the least regression is the low end; throughput the reverse.
  const double bound = higher_is_better ? -shift.high : shift.low;
  if (bound <= 0) return std::nullopt;
  return bound / median_a * 100;
}

bool MetricComparison::regressed_beyond(double percent) const {
  const std::optional<double> least = least_regression_percent();
  return least && *least > percent;
}

ResultComparison compare_results(const BenchResult& a, const BenchResult& b) {
  ResultComparison c{&a, &b, {}};
  for (const BenchConfiguration& ca : a.configurations)
    for (const BenchConfiguration& cb : b.configurations) {
      if (ca.name != cb.name || ca.precision != cb.precision) continue;
      for (const Headline& h : kHeadlines) {
        const auto runs_a = ca.runs.find(h.metric), runs_b = cb.runs.find(h.metric);
        if (runs_a == ca.runs.end() || runs_b == cb.runs.end()) continue;
        MetricComparison m;
        m.configuration = ca.name;
        m.precision = ca.precision;
        m.metric = h.metric;
        m.label = h.label;
        m.higher_is_better = h.higher_is_better;
        m.median_a = percentile(runs_a->second, 0.5);
        m.median_b = percentile(runs_b->second, 0.5);
        m.shift = hodges_lehmann(runs_a->second, runs_b->second);
        m.p_two_sided = mann_whitney(runs_b->second, runs_a->second).p_two_sided;
        c.metrics.push_back(m);
      }
    }
  if (c.metrics.empty()) t5::fail(b.path, "shares no configuration and precision with " + a.path);
  return c;
}

std::string machine_class_note(const ResultComparison& c) {
  if (c.a->context.machine_class == c.b->context.machine_class) return "";
  return "different machine classes: A is " + c.a->context.machine_class + ", B is " + c.b->context.machine_class +
         "; compared anyway, so the difference includes the machines'";
}

std::string comparison_text(const ResultComparison& c, std::optional<double> max_regression) {
  std::string out;
  if (const std::string note = machine_class_note(c); !note.empty()) out += note + "\n";
  out += source_line(c) + "\n";
  char line[400];
  std::snprintf(line, sizeof line, "%-26s %-18s %10s %10s %8s  %-34s %9s %s\n", "configuration", "metric",
                "median A", "median B", "B/A", "shift B-A [95% interval]", "p", max_regression ? "verdict" : "");
  out += line;
  for (const MetricComparison& m : c.metrics) {
    const Row r = row_of(m, max_regression);
    std::snprintf(line, sizeof line, "%-26s %-18s %10s %10s %8s  %-34s %9s %s\n", r.configuration.c_str(),
                  r.metric.c_str(), r.median_a.c_str(), r.median_b.c_str(), r.ratio.c_str(), r.shift.c_str(),
                  r.p.c_str(), r.verdict.c_str());
    out += line;
  }
  return out + "(shift: Hodges-Lehmann estimate of B - A in percent of median A; p: two-sided Mann-Whitney)\n" +
         summary_line(c, max_regression) + "\n";
}

std::string comparison_markdown(const ResultComparison& c, std::optional<double> max_regression) {
  std::string out;
  if (const std::string note = machine_class_note(c); !note.empty()) out += "**" + note + "**\n\n";
  out += source_line(c) + "\n\n";
  out += "| configuration | metric | median A | median B | B/A | shift B−A [95% interval] | p |";
  out += max_regression ? " verdict |\n|---|---|---:|---:|---:|---|---:|---|\n" : "\n|---|---|---:|---:|---:|---|---:|\n";
  for (const MetricComparison& m : c.metrics) {
    const Row r = row_of(m, max_regression);
    out += "| " + r.configuration + " | " + r.metric + " | " + r.median_a + " | " + r.median_b + " | " + r.ratio +
           " | " + r.shift + " | " + r.p + " |" + (max_regression ? " " + r.verdict + " |" : "") + "\n";
  }
  return out + "\nShift: Hodges–Lehmann estimate of B − A in percent of median A; p: two-sided Mann–Whitney.\n\n" +
         summary_line(c, max_regression) + "\n";
}

t5::json comparison_json(const ResultComparison& c, std::optional<double> max_regression) {
  auto side = [](const BenchResult& r) {
    return t5::json{{"path", r.path}, {"machine_class", r.context.machine_class}, {"git_commit", r.context.git_commit},
                    {"git_dirty", r.context.git_dirty}, {"date", r.context.date}, {"suite", r.suite.name},
                    {"model", r.context.model_name}};
  };
  auto bound = [](double v) { return std::isfinite(v) ? t5::json(v) : t5::json(nullptr); };
  t5::json metrics = t5::json::array();
  int regressed = 0;
  for (const MetricComparison& m : c.metrics) {
    t5::json row = {{"configuration", m.configuration},
                    {"precision", m.precision},
                    {"metric", m.metric},
                    {"median_a", m.median_a},
                    {"median_b", m.median_b},
                    {"ratio", m.ratio()},
                    {"shift", {{"estimate", m.shift.estimate}, {"low", bound(m.shift.low)}, {"high", bound(m.shift.high)}}},
                    {"shift_percent",
                     {{"estimate", m.shift.estimate / m.median_a * 100},
                      {"low", bound(m.shift.low / m.median_a * 100)},
                      {"high", bound(m.shift.high / m.median_a * 100)}}},
                    {"p_two_sided", m.p_two_sided}};
    if (max_regression) {
      row["regressed"] = m.regressed_beyond(*max_regression);
      regressed += m.regressed_beyond(*max_regression);
    }
    metrics.push_back(row);
  }
  return {{"a", side(*c.a)},
          {"b", side(*c.b)},
          {"same_machine_class", c.a->context.machine_class == c.b->context.machine_class},
          {"confidence", 0.95},
          {"max_regression_percent", max_regression ? t5::json(*max_regression) : t5::json(nullptr)},
          {"regressed", regressed},
          {"metrics", metrics}};
}

}  // namespace t5bench
