#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace t5bench {

// A mistake in how the tool was called: printed with the command's usage line, exit status 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "--name value", "--name=value" and bare "--flag" arguments of one subcommand. Every option the command
// accepts is declared up front, so unknown or repeated options are refused before any work starts.
class Args {
 public:
  struct Spec {
    std::vector<std::string> values;    // options taking one value
    std::vector<std::string> repeated;  // options taking a value, allowed several times
    std::vector<std::string> flags;     // options without a value
  };

  Args(const std::string& command, const std::vector<std::string>& argv, const Spec& spec);

  bool has(const std::string& name) const;
  bool flag(const std::string& name) const { return has(name); }
  std::optional<std::string> value(const std::string& name) const;
  std::string required(const std::string& name) const;
  std::vector<std::string> all(const std::string& name) const;
  // Whole numbers in [min, max]; errors name the option.
  long integer(const std::string& name, long fallback, long min, long max) const;
  double number(const std::string& name, double fallback, double min, double max) const;
  // Exactly one of the options must be given; returns its name.
  std::string one_of(const std::vector<std::string>& names) const;

 private:
  std::string command_;
  std::map<std::string, std::vector<std::string>> given_;
};

}  // namespace t5bench
