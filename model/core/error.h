#pragma once

#include <stdexcept>
#include <string>

namespace t5 {

// A failure caused by what the user gave us (a file, an argument, a prompt). The message is one line:
// "<file or argument>: <problem>", ready to print as it is.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

[[noreturn]] void fail(const std::string& source, const std::string& problem);

}  // namespace t5
