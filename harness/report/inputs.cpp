#include "report/inputs.h"

#include <algorithm>
#include <filesystem>

#include "core/error.h"
#include "io/json_file.h"

namespace t5bench::report {

namespace {

// A value quoted in an error message, cut short so the message stays one line.
std::string brief(const t5::json& value) {
  const std::string text = value.dump();
  return text.size() <= 40 ? text : text.substr(0, 37) + "...";
}

std::vector<std::string> version_parts(const std::string& version) {
  std::vector<std::string> parts(1);
  for (char c : version) {
    if (c == '.' || c == '-' || c == '+') parts.emplace_back();
    else parts.back() += c;
  }
  return parts;
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

int compare_versions(const std::string& a, const std::string& b) {
  const std::vector<std::string> pa = version_parts(a), pb = version_parts(b);
  for (size_t i = 0; i < std::max(pa.size(), pb.size()); ++i) {
    std::string x = i < pa.size() ? pa[i] : "0", y = i < pb.size() ? pb[i] : "0";
    if (all_digits(x) && all_digits(y)) {
      // Numbers of any length: without leading zeros, the longer is larger, else compare as text.
      x.erase(0, std::min(x.find_first_not_of('0'), x.size() - 1));
      y.erase(0, std::min(y.find_first_not_of('0'), y.size() - 1));
      if (x.size() != y.size()) return x.size() < y.size() ? -1 : 1;
    }
    if (const int c = x.compare(y); c != 0) return c < 0 ? -1 : 1;
  }
  return 0;
}

void load_result(const std::string& path, ReportInputs& inputs) {
  ResultFile file = read_result_file(path);
  if (file.bench) inputs.bench.push_back(std::move(*file.bench));
  if (file.accuracy) inputs.accuracy.push_back(std::move(*file.accuracy));
}

std::vector<BenchResult> load_history(const std::string& directory) {
  std::error_code error;
  std::filesystem::directory_iterator entries(directory, error);
  if (error) t5::fail(directory, "cannot read the history directory: " + error.message());
  std::vector<std::string> paths;
  for (const std::filesystem::directory_entry& entry : entries)
    if (entry.path().extension() == ".json" && entry.is_regular_file()) paths.push_back(entry.path().string());
  std::sort(paths.begin(), paths.end());  // a stable order for releases that tie on version and date

  std::vector<BenchResult> history;
  for (const std::string& path : paths) {
    ResultFile file = read_result_file(path);
    if (file.bench) history.push_back(std::move(*file.bench));
  }
  std::stable_sort(history.begin(), history.end(), [](const BenchResult& a, const BenchResult& b) {
    const int order = compare_versions(a.context.version, b.context.version);
    return order != 0 ? order < 0 : a.context.date < b.context.date;
  });
  return history;
}

std::map<std::string, std::string> load_notes(const std::string& path, const std::vector<BenchResult>& bench) {
  const t5::json document = t5::read_json_file(path);
  if (!document.is_object()) t5::fail(path, "expected a JSON object of configuration name to sentence");
  std::map<std::string, std::string> notes;
  for (const auto& [name, sentence] : document.items()) {
    if (!sentence.is_string()) t5::fail(path, "note for '" + name + "' must be a string, got " + brief(sentence));
    bool known = false;
    for (const BenchResult& r : bench)
      for (const BenchConfiguration& c : r.configurations) known = known || c.name == name;
    if (!known) t5::fail(path, "note for '" + name + "' names no configuration of the bench results");
    notes[name] = sentence.get<std::string>();
  }
  return notes;
}

}  // namespace t5bench::report
