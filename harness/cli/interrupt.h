#pragma once

#include <string>

namespace t5bench {

// SIGINT and SIGTERM do not kill a command mid-write: they set a flag that long loops poll between
// runs, and the command then exits 130 (SIGINT) or 143 (SIGTERM) without writing its result, so earlier
// results stay intact. A write under way (io/atomic_file.h) checks the flag before its rename: files are
// whole or as they were.
void install_interrupt_handlers();
bool interrupted();
int interrupt_exit_status();  // 128 + the signal received

// Thrown by loops that notice the flag; main turns it into the exit status.
struct Interrupted {};
void throw_if_interrupted();

// A temporary file removed when the guard dies (an error, an exception) unless released.
class TemporaryFileGuard {
 public:
  explicit TemporaryFileGuard(const std::string& path);
  ~TemporaryFileGuard();
  TemporaryFileGuard(const TemporaryFileGuard&) = delete;
  TemporaryFileGuard& operator=(const TemporaryFileGuard&) = delete;
  void release();

 private:
  std::string path_;
  bool active_ = true;
};

}  // namespace t5bench
