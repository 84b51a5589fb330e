#include "gate/records.h"

#include "core/error.h"

namespace t5bench {

namespace {

const t5::json& object_at(const t5::json& parent, const char* name, const std::string& where) {
  const t5::json& value = t5::require_field(parent, name, where);
  if (!value.is_object()) t5::fail(where, std::string("field '") + name + "' must be an object");
  return value;
}

double finite_number(const t5::json& value, const std::string& name, const std::string& where) {
  if (!value.is_number()) t5::fail(where, "'" + name + "' must be a number, got " + value.dump());
  return value.get<double>();
}

}  // namespace

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
  const t5::json root = t5::read_json_file(path);
  if (!root.is_object()) t5::fail(path, "a result file is a JSON object");
  const t5::json& context = object_at(root, "context", path);
  const t5::json& own = object_at(context, "t5bench", path + ": context");
  const std::string machine_class = t5::require_string(own, "machine_class", path + ": context.t5bench");
  const t5::json& model = object_at(own, "model", path + ": context.t5bench");
  const std::string model_name = t5::require_string(model, "name", path + ": context.t5bench.model");

  std::vector<ResultRecord> records;
  if (root.contains("accuracy")) {
    const t5::json& accuracy = object_at(root, "accuracy", path);
    ResultRecord r;
    r.file = path;
    r.kind = "accuracy";
    r.keys = {{"machine_class", machine_class},
              {"model", model_name},
              {"suite", t5::require_string(object_at(accuracy, "suite", path + ": accuracy"), "name", path + ": accuracy.suite")},
              {"configuration", t5::require_string(accuracy, "configuration", path + ": accuracy")},
              {"precision", t5::require_string(accuracy, "precision", path + ": accuracy")}};
    const t5::json& overall = object_at(accuracy, "overall", path + ": accuracy");
    for (auto it = overall.begin(); it != overall.end(); ++it)
      r.metrics[it.key()] = finite_number(it.value(), "accuracy.overall." + it.key(), path);
    records.push_back(std::move(r));
    return records;
  }
  const t5::json& configurations = t5::require_field(root, "configurations", path);
  if (!configurations.is_array() || configurations.empty())
    t5::fail(path, "'configurations' must be a non-empty list (is this a bench result?)");
  const std::string suite = t5::require_string(object_at(own, "suite", path + ": context.t5bench"), "name",
                                               path + ": context.t5bench.suite");
  for (const t5::json& c : configurations) {
    const std::string where = path + ": configurations";
    ResultRecord r;
    r.file = path;
    r.kind = "bench";
    r.keys = {{"machine_class", machine_class},
              {"model", model_name},
              {"suite", suite},
              {"configuration", t5::require_string(c, "name", where)},
              {"precision", t5::require_string(c, "precision", where)}};
    const t5::json& statistics = object_at(c, "statistics", where);
    for (auto metric = statistics.begin(); metric != statistics.end(); ++metric) {
      if (!metric.value().is_object()) t5::fail(where, "statistics." + metric.key() + " must be an object");
      for (auto stat = metric.value().begin(); stat != metric.value().end(); ++stat)
        r.metrics[metric.key() + "." + stat.key()] =
            finite_number(stat.value(), "statistics." + metric.key() + "." + stat.key(), where);
    }
    const t5::json& runs = t5::require_field(c, "runs", where);
    if (!runs.is_array()) t5::fail(where, "'runs' must be a list");
    for (const t5::json& run : runs) {
      if (!run.is_object()) t5::fail(where, "a run must be an object");
      for (auto it = run.begin(); it != run.end(); ++it)
        r.samples[it.key()].push_back(finite_number(it.value(), "runs[]." + it.key(), where));
    }
    records.push_back(std::move(r));
  }
  if (root.contains("comparisons")) {
    const t5::json& comparisons = root["comparisons"];
    if (!comparisons.is_array()) t5::fail(path, "'comparisons' must be a list");
    for (const t5::json& c : comparisons) {
      const std::string where = path + ": comparisons";
      ResultRecord r;
      r.file = path;
      r.kind = "comparison";
      r.keys = {{"machine_class", machine_class},
                {"model", model_name},
                {"suite", suite},
                {"configuration", t5::require_string(c, "configuration", where) + "/" + t5::require_string(c, "against", where)},
                {"precision", records.front().keys["precision"]}};
      for (auto it = c.begin(); it != c.end(); ++it)
        if (it.key() != "configuration" && it.key() != "against")
          r.metrics[it.key()] = finite_number(it.value(), "comparisons[]." + it.key(), where);
      records.push_back(std::move(r));
    }
  }
  return records;
}

}  // namespace t5bench
