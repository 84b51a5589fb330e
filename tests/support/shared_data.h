#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "graph/model.h"
#include "io/safetensors.h"

namespace t5test {

// ../shared: reference suites, golden tensors and the t5-synth-tasks checkpoint.
std::string shared_dir();
std::string shared_model_dir();  // shared/models/t5-synth-tasks
std::string reference_path(const std::string& file);  // shared/reference/<file>
std::string binary_path();                            // build/t5bench
std::string source_dir();
bool shared_data_present();
// T5BENCH_REQUIRE_SHARED=1 (set by .ci/run): shared data is then required, and its absence fails the tests
// that need it instead of skipping them.
bool shared_data_required();

// The shared t5-synth-tasks model (fp32), loaded once per test process.
const t5::Model& shared_model();

// Skips the test (with the reason) when ../shared is absent, e.g. on a developer machine without it; fails
// it instead where shared data is required (CI).
#define T5_REQUIRE_SHARED_DATA()                                                                         \
  do {                                                                                                   \
    if (!t5test::shared_data_present()) {                                                                \
      if (t5test::shared_data_required())                                                                \
        FAIL() << "no shared data at " << t5test::shared_dir() << ", and T5BENCH_REQUIRE_SHARED=1 requires it"; \
      GTEST_SKIP() << "no shared data at " << t5test::shared_dir();                                      \
    }                                                                                                    \
  } while (0)

// A tensor of a golden safetensors file as floats (F32) or integers (I64).
std::vector<float> read_f32(const t5::SafetensorsFile& file, const std::string& name, std::vector<int64_t>* shape = nullptr);
std::vector<int32_t> read_i64(const t5::SafetensorsFile& file, const std::string& name);

// A fresh directory under the system temp dir, removed with everything in it when this goes away.
class TempDir {
 public:
  explicit TempDir(const std::string& tag);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void write_file(const std::string& path, const std::string& contents);

// A small gated-GELU T5 config.json (d_model 64, 2+2 layers, vocab 512) for fast synthetic-weight runs.
std::string write_tiny_config(const TempDir& dir);
std::string read_file(const std::string& path);

// Runs a command line through /bin/sh (exec'd, so a signal shows as a signal); captures stdout and stderr.
struct CommandResult {
  int exit_code = -1;      // -1 when it ended by a signal
  int signal = 0;
  std::string out;
  std::string err;
};
CommandResult run_command(const std::string& command_line);

}  // namespace t5test
