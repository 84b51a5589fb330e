#include "gate/records.h"

#include "results/result_file.h"

namespace t5bench {

std::string ResultRecord::label() const {
  auto get = [&](const char* key) {
    auto it = keys.find(key);
    return it == keys.end() ? std::string("?") : it->second;
  };
  return get("suite") + "/" + get("configuration") + (kind == "accuracy" ? " (accuracy)" : "");
}

std::string ResultRecord::key_text() const {
  std::string text;
  for (const char* key : {"machine_class", "model", "suite", "configuration", "precision"}) {
    auto it = keys.find(key);
    if (!text.empty()) text += ' ';
    text += key;
    text += '=';
    text += it == keys.end() ? "?" : it->second;
  }
  return text;
}

bool higher_is_better(const std::string& metric) {
  for (const char* word : {"per_second", "rate", "agreement", "accuracy", "cosine", "exact", "tie_aware"})
    if (metric.find(word) != std::string::npos) return true;
  return false;
}

std::vector<ResultRecord> load_result_records(const std::string& path) {
  const ResultFile file = read_result_file(path);
  std::vector<ResultRecord> records;
  if (file.accuracy) {
    const AccuracyResult& a = *file.accuracy;
    ResultRecord r;
    r.file = path;
    r.kind = "accuracy";
    r.keys = {{"machine_class", a.context.machine_class}, {"model", a.context.model_name}, {"suite", a.suite_name},
              {"configuration", a.configuration}, {"precision", a.precision}};
    r.metrics = a.overall.by_name();
    records.push_back(std::move(r));
    return records;
  }
  const BenchResult& bench = *file.bench;
  auto keys = [&](const std::string& configuration, const std::string& precision) {
    return std::map<std::string, std::string>{{"machine_class", bench.context.machine_class},
                                              {"model", bench.context.model_name},
                                              {"suite", bench.suite.name},
                                              {"configuration", configuration},
                                              {"precision", precision}};
  };
  for (const BenchConfiguration& c : bench.configurations) {
    ResultRecord r;
    r.file = path;
    r.kind = "bench";
    r.keys = keys(c.name, c.precision);
    for (const auto& [metric, stat] : c.statistics) {
      const std::pair<const char*, double> values[] = {{"p50", stat.p50},   {"p90", stat.p90},   {"p99", stat.p99},
                                                       {"mean", stat.mean}, {"stddev", stat.stddev}, {"min", stat.min},
                                                       {"max", stat.max},   {"samples", stat.samples}};
      for (const auto& [name, value] : values) r.metrics[metric + "." + name] = value;
    }
    r.samples = c.runs;
    records.push_back(std::move(r));
  }
  for (const BenchComparison& c : bench.comparisons) {
    ResultRecord r;
    r.file = path;
    r.kind = "comparison";
    r.keys = keys(c.configuration + "/" + c.against, bench.configurations.front().precision);
    r.metrics = c.values;
    records.push_back(std::move(r));
  }
  return records;
}

}  // namespace t5bench
