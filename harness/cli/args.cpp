#include "cli/args.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace t5bench {

namespace {

bool contains(const std::vector<std::string>& list, const std::string& name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

}  // namespace

Args::Args(const std::string& command, const std::vector<std::string>& argv, const Spec& spec) : command_(command) {
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg.rfind("--", 0) != 0 || arg.size() == 2)
      throw UsageError("unexpected argument '" + arg + "'");
    std::string name = arg.substr(2), value;
    bool inline_value = false;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inline_value = true;
    }
    const bool takes_value = contains(spec.values, name) || contains(spec.repeated, name);
    if (!takes_value && !contains(spec.flags, name)) throw UsageError("unknown option '--" + name + "'");
    if (!takes_value && inline_value) throw UsageError("option '--" + name + "' takes no value");
    if (takes_value && !inline_value) {
      if (i + 1 >= argv.size()) throw UsageError("option '--" + name + "' needs a value");
      value = argv[++i];
    }
    std::vector<std::string>& slot = given_[name];
    if (!slot.empty() && !contains(spec.repeated, name)) throw UsageError("option '--" + name + "' given twice");
    slot.push_back(value);
  }
}

bool Args::has(const std::string& name) const { return given_.count(name) != 0; }

std::optional<std::string> Args::value(const std::string& name) const {
  auto it = given_.find(name);
  if (it == given_.end()) return std::nullopt;
  return it->second.front();
}

std::string Args::required(const std::string& name) const {
  auto v = value(name);
  if (!v) throw UsageError("missing required option '--" + name + "'");
  return *v;
}

std::vector<std::string> Args::all(const std::string& name) const {
  auto it = given_.find(name);
  return it == given_.end() ? std::vector<std::string>{} : it->second;
}

long Args::integer(const std::string& name, long fallback, long min, long max) const {
  auto v = value(name);
  if (!v) return fallback;
  errno = 0;
  char* end = nullptr;
  long parsed = std::strtol(v->c_str(), &end, 10);
  if (v->empty() || *end != '\0' || errno == ERANGE)
    throw UsageError("option '--" + name + "': '" + *v + "' is not a whole number");
  if (parsed < min || parsed > max)
    throw UsageError("option '--" + name + "': " + *v + " is outside [" + std::to_string(min) + ", " +
                     std::to_string(max) + "]");
  return parsed;
}

double Args::number(const std::string& name, double fallback, double min, double max) const {
  auto v = value(name);
  if (!v) return fallback;
  char* end = nullptr;
  double parsed = std::strtod(v->c_str(), &end);
  if (v->empty() || *end != '\0' || !std::isfinite(parsed))
    throw UsageError("option '--" + name + "': '" + *v + "' is not a number");
  if (parsed < min || parsed > max)
    throw UsageError("option '--" + name + "': " + *v + " is outside [" + std::to_string(min) + ", " +
                     std::to_string(max) + "]");
  return parsed;
}

std::string Args::one_of(const std::vector<std::string>& names) const {
  std::string chosen;
  for (const std::string& name : names)
    if (has(name)) {
      if (!chosen.empty()) throw UsageError("options '--" + chosen + "' and '--" + name + "' exclude each other");
      chosen = name;
    }
  if (chosen.empty()) {
    std::string list;
    for (const std::string& name : names) list += (list.empty() ? "--" : " or --") + name;
    throw UsageError("one of " + list + " is required");
  }
  return chosen;
}

}  // namespace t5bench
