#include "gate/baseline.h"

#include <cmath>
#include <cstdio>

#include "core/error.h"
#include "stats/text.h"
#include "stats/statistics.h"

namespace t5bench {

namespace {

constexpr const char* kMatchKeys[] = {"machine_class", "model", "suite", "configuration", "precision"};

double number(const t5::json& value, const std::string& what, const std::string& where) {
  if (!value.is_number()) t5::fail(where, what + " must be a number, got " + value.dump());
  return value.get<double>();
}

BaselineEntry parse_entry(const t5::json& e, const std::string& where) {
  if (!e.is_object()) t5::fail(where, "an entry must be an object");
  BaselineEntry entry;
  if (e.contains("match")) {
    const t5::json& match = e["match"];
    if (!match.is_object()) t5::fail(where, "'match' must be an object");
    for (auto it = match.begin(); it != match.end(); ++it) {
      bool known = false;
      for (const char* key : kMatchKeys) known |= it.key() == key;
      if (!known) t5::fail(where, "unknown match key '" + it.key() + "'");
      if (!it.value().is_string()) t5::fail(where, "match." + it.key() + " must be a string");
      entry.match[it.key()] = it.value().get<std::string>();
    }
  }
  if (e.contains("thresholds")) {
    const t5::json& thresholds = e["thresholds"];
    if (!thresholds.is_object()) t5::fail(where, "'thresholds' must be an object");
    for (auto it = thresholds.begin(); it != thresholds.end(); ++it) {
      const std::string what = "thresholds." + it.key();
      if (!it.value().is_object()) t5::fail(where, what + " must be an object with min and/or max");
      Threshold t;
      t.metric = it.key();
      for (auto bound = it.value().begin(); bound != it.value().end(); ++bound) {
        if (bound.key() == "min") t.min = number(bound.value(), what + ".min", where);
        else if (bound.key() == "max") t.max = number(bound.value(), what + ".max", where);
        else t5::fail(where, what + ": unknown bound '" + bound.key() + "' (min or max)");
      }
      if (!t.min && !t.max) t5::fail(where, what + " has neither min nor max");
      entry.thresholds.push_back(t);
    }
  }
  if (e.contains("relative")) {
    const t5::json& relative = e["relative"];
    if (!relative.is_object()) t5::fail(where, "'relative' must be an object");
    for (auto it = relative.begin(); it != relative.end(); ++it) {
      const std::string what = "relative." + it.key();
      RelativeCheck r;
      r.metric = it.key();
      r.source = where + ": " + what;
      const t5::json& reference = t5::require_field(it.value(), "reference", where + ": " + what);
      if (!reference.is_array() || reference.size() < 3)
        t5::fail(where, what + ".reference must list at least 3 runs");
      for (const t5::json& v : reference) r.reference.push_back(number(v, what + ".reference[]", where));
      r.max_regression_percent = t5::optional_number(it.value(), "max_regression_percent", 10, where + ": " + what);
      r.significance = t5::optional_number(it.value(), "significance", 0.01, where + ": " + what);
      if (!(r.max_regression_percent >= 0)) t5::fail(where, what + ".max_regression_percent must be >= 0");
      if (!(r.significance > 0 && r.significance < 1)) t5::fail(where, what + ".significance must be in (0, 1)");
      entry.relative.push_back(std::move(r));
    }
  }
  if (entry.thresholds.empty() && entry.relative.empty()) t5::fail(where, "an entry checks nothing");
  return entry;
}

Baseline baseline_from_json(const t5::json& root, const std::string& source) {
  if (!root.is_object()) t5::fail(source, "a baseline is a JSON object");
  const int64_t version = t5::require_int(root, "schema_version", source);
  if (version != 1) t5::fail(source, "schema_version " + std::to_string(version) + " is not supported (1 is)");
  Baseline b;
  b.description = t5::optional_string(root, "description", "", source);
  const t5::json& entries = t5::require_field(root, "entries", source);
  if (!entries.is_array()) t5::fail(source, "'entries' must be a list");
  for (size_t i = 0; i < entries.size(); ++i)
    b.entries.push_back(parse_entry(entries[i], source + ": entries[" + std::to_string(i) + "]"));
  return b;
}

}  // namespace

bool BaselineEntry::matches(const ResultRecord& record) const {
  // Comparisons ("optimized/baseline") are judged only by entries that name one.
  auto configuration = match.find("configuration");
  const bool names_comparison = configuration != match.end() && configuration->second.find('/') != std::string::npos;
  if ((record.kind == "comparison") != names_comparison) return false;
  for (const auto& [key, value] : match) {
    if (value == "*") continue;
    auto it = record.keys.find(key);
    if (it == record.keys.end() || it->second != value) return false;
  }
  return true;
}

Baseline parse_baseline(std::string_view text, const std::string& source) {
  return baseline_from_json(t5::parse_json(text, source), source);
}

Baseline load_baseline(const std::string& path) { return baseline_from_json(t5::read_json_file(path), path); }

t5::json baseline_to_json(const Baseline& baseline) {
  t5::json entries = t5::json::array();
  for (const BaselineEntry& e : baseline.entries) {
    t5::json entry = {{"match", e.match}};
    t5::json thresholds = t5::json::object();
    for (const Threshold& t : e.thresholds) {
      t5::json bound = t5::json::object();
      if (t.min) bound["min"] = *t.min;
      if (t.max) bound["max"] = *t.max;
      thresholds[t.metric] = bound;
    }
    if (!thresholds.empty()) entry["thresholds"] = thresholds;
    t5::json relative = t5::json::object();
    for (const RelativeCheck& r : e.relative)
      relative[r.metric] = {{"reference", r.reference},
                            {"max_regression_percent", r.max_regression_percent},
                            {"significance", r.significance}};
    if (!relative.empty()) entry["relative"] = relative;
    entries.push_back(entry);
  }
  return {{"schema_version", 1}, {"description", baseline.description}, {"entries", entries}};
}

std::vector<GateCheck> evaluate_gate(const Baseline& baseline, const std::vector<ResultRecord>& records) {
  std::vector<GateCheck> checks;
  for (const ResultRecord& record : records)
    for (const BaselineEntry& entry : baseline.entries) {
      if (!entry.matches(record)) continue;
      for (const Threshold& t : entry.thresholds) {
        GateCheck c{record.label(), t.metric, false, ""};
        auto it = record.metrics.find(t.metric);
        if (it == record.metrics.end()) {
          c.detail = "missing from " + record.file;
        } else {
          const double v = it->second;
          const bool above_min = !t.min || v >= *t.min, below_max = !t.max || v <= *t.max;
          c.passed = above_min && below_max;
          c.detail = short_number(v) + (!above_min ? " < min " + short_number(*t.min)
                                  : !below_max ? " > max " + short_number(*t.max)
                                  : t.min && t.max ? " in [" + short_number(*t.min) + ", " + short_number(*t.max) + "]"
                                  : t.min ? " >= min " + short_number(*t.min)
                                          : " <= max " + short_number(*t.max));
        }
        checks.push_back(c);
      }
      for (const RelativeCheck& r : entry.relative) {
        GateCheck c{record.label(), r.metric + " (relative)", false, ""};
        auto it = record.samples.find(r.metric);
        if (it == record.samples.end() || it->second.size() < 3) {
          c.detail = "needs at least 3 runs of '" + r.metric + "' in " + record.file;
          checks.push_back(c);
          continue;
        }
        const std::vector<double>& runs = it->second;
        const double smallest_p = smallest_one_sided_p(static_cast<int>(runs.size()), static_cast<int>(r.reference.size()));
        if (smallest_p >= r.significance) {
          char problem[300];
          std::snprintf(problem, sizeof problem,
                        "%zu reference runs against the %zu runs of %s in %s can never reach significance %.3g "
                        "(the smallest one-sided p is %.3g): add runs or raise the significance",
                        r.reference.size(), runs.size(), record.label().c_str(), record.file.c_str(), r.significance,
                        smallest_p);
          t5::fail(r.source.empty() ? "relative." + r.metric : r.source, problem);
        }
        const double current = percentile(runs, 0.5), reference = percentile(r.reference, 0.5);
        const bool higher_better = higher_is_better(r.metric);
        // A regression is a change in the bad direction: slower latency, lower throughput.
        const double change = reference != 0 ? (current - reference) / reference * 100 : 0;
        const double regression = higher_better ? -change : change;
        const MannWhitney test = higher_better ? mann_whitney(r.reference, runs) : mann_whitney(runs, r.reference);
        const bool significant = test.p_greater < r.significance;
        c.passed = !(regression > r.max_regression_percent && significant);
        char text[200];
        std::snprintf(text, sizeof text, "%+.1f%% vs reference median %s (regression limit %.1f%%, one-sided p = %.3g, alpha %.3g; shift ",
                      change, short_number(reference).c_str(), r.max_regression_percent, test.p_greater, r.significance);
        c.detail = text + shift_percent_text(hodges_lehmann(r.reference, runs), reference) + ")";
        checks.push_back(c);
      }
    }
  return checks;
}

std::vector<RecordCoverage> gate_coverage(const Baseline& baseline, const std::vector<ResultRecord>& records) {
  std::vector<RecordCoverage> coverage;
  for (const ResultRecord& record : records) {
    RecordCoverage c{&record, {}};
    for (size_t i = 0; i < baseline.entries.size(); ++i)
      if (baseline.entries[i].matches(record)) c.entries.push_back(i);
    coverage.push_back(std::move(c));
  }
  return coverage;
}

Baseline update_baseline(Baseline existing, const std::vector<ResultRecord>& records, double margin_percent) {
  const double margin = margin_percent / 100.0;
  for (const ResultRecord& record : records) {
    BaselineEntry entry;
    entry.match = record.keys;
    auto add = [&](const std::string& metric, bool is_rate) {
      auto it = record.metrics.find(metric);
      if (it == record.metrics.end()) return;
      Threshold t;
      t.metric = metric;
      if (is_rate) t.min = it->second;
      else if (higher_is_better(metric)) t.min = it->second * (1 - margin);
      else t.max = it->second * (1 + margin);
      entry.thresholds.push_back(t);
    };
    if (record.kind == "accuracy") {
      add("tie_aware_match_rate", true);
      add("exact_match_rate", true);
    } else if (record.kind == "comparison") {
      add("end_to_end_p50_ratio", false);
    } else {
      for (const char* metric : {"end_to_end_ms.p50", "tokens_per_second.p50", "encoder_ms.p50", "decoder_ms.p50"})
        add(metric, false);
      for (const char* samples : {"end_to_end_ms", "tokens_per_second"}) {
        auto it = record.samples.find(samples);
        if (it == record.samples.end()) continue;
        const int runs = static_cast<int>(it->second.size());
        if (runs >= 3 && smallest_one_sided_p(runs, runs) < 0.01)
          entry.relative.push_back({samples, it->second, margin_percent, 0.01, ""});
      }
    }
    bool replaced = false;
    for (BaselineEntry& e : existing.entries)
      if (e.match == entry.match) {
        e = entry;
        replaced = true;
      }
    if (!replaced) existing.entries.push_back(entry);
  }
  return existing;
}

}  // namespace t5bench
