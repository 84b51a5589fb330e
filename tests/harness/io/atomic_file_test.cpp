// Atomic writes: whole new files or the old ones, never a temporary file left behind, on success, on each
// kind of failure, and when a signal arrives at the moment of writing.

#include "io/atomic_file.h"

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "core/error.h"
#include "support/interrupted_write.h"
#include "support/shared_data.h"

namespace {

// The names in `dir`, sorted: what a reader of the directory sees.
std::vector<std::string> names_in(const t5test::TempDir& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string write_error(const std::vector<t5bench::FileToWrite>& files) {
  try {
    t5bench::write_files_atomically(files);
  } catch (const t5::Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(AtomicFile, ReplacesTheFileWholeAndLeavesNothingElse) {
  t5test::TempDir dir("atomic");
  const std::string path = dir.file("r.json");
  t5test::write_file(path, "old");
  t5bench::write_file_atomically(path, std::string(1 << 20, 'x'));
  EXPECT_EQ(t5test::read_file(path), std::string(1 << 20, 'x'));
  EXPECT_EQ(names_in(dir), std::vector<std::string>{"r.json"});
}

TEST(AtomicFile, ASignalAtTheMomentOfWritingKeepsTheOldFile) {
  t5test::TempDir dir("atomic");
  const std::string path = dir.file("r.json");
  t5test::write_file(path, "old");
  for (const int signal : {SIGINT, SIGTERM}) {
    EXPECT_EXIT(t5test::run_interrupted_at_write(1, signal, [&] { t5bench::write_file_atomically(path, "new"); }),
                testing::ExitedWithCode(128 + signal), "");
    EXPECT_EQ(t5test::read_file(path), "old");
    EXPECT_EQ(names_in(dir), std::vector<std::string>{"r.json"});
  }
}

TEST(AtomicFile, ASignalWhileWritingAPairKeepsBothOldFiles) {
  t5test::TempDir dir("atomic");
  t5test::write_file(dir.file("r.md"), "old md");
  t5test::write_file(dir.file("r.html"), "old html");
  for (const int nth : {1, 2}) {  // after the first temporary file, and after both
    EXPECT_EXIT(t5test::run_interrupted_at_write(nth, SIGINT, [&] {
                  t5bench::write_files_atomically({{dir.file("r.md"), "new md"}, {dir.file("r.html"), "new html"}});
                }),
                testing::ExitedWithCode(130), "");
    EXPECT_EQ(t5test::read_file(dir.file("r.md")), "old md");
    EXPECT_EQ(t5test::read_file(dir.file("r.html")), "old html");
    EXPECT_EQ(names_in(dir), (std::vector<std::string>{"r.html", "r.md"}));
  }
}

TEST(AtomicFile, AFailedRenameRemovesItsTemporaryFile) {
  t5test::TempDir dir("atomic");
  const std::string path = dir.file("taken");
  std::filesystem::create_directories(path + "/inside");  // a non-empty directory cannot be renamed over
  EXPECT_EQ(write_error({{path, "new"}}), path + ": cannot replace: Is a directory");
  EXPECT_EQ(names_in(dir), std::vector<std::string>{"taken"});
}

TEST(AtomicFile, AFailureOnTheSecondFileLeavesTheFirstAsItWas) {
  t5test::TempDir dir("atomic");
  t5test::write_file(dir.file("r.md"), "old md");
  const std::string unreachable = dir.file("missing/r.html");
  EXPECT_EQ(write_error({{dir.file("r.md"), "new md"}, {unreachable, "new html"}}),
            unreachable + ": cannot create a temporary file beside it: No such file or directory");
  EXPECT_EQ(t5test::read_file(dir.file("r.md")), "old md");
  EXPECT_EQ(names_in(dir), std::vector<std::string>{"r.md"});
}

// In a death test's child (the limit stays there): a file size limit of 4 bytes makes the write fail part
// way (EFBIG); exits 0 when the error is the expected one.
[[noreturn]] void write_under_a_four_byte_file_limit(const std::string& path) {
  ::signal(SIGXFSZ, SIG_IGN);
  const rlimit limit{4, 4};
  ::setrlimit(RLIMIT_FSIZE, &limit);
  const std::string error = write_error({{path, "more than four bytes"}});
  _exit(error == path + ": write failed: File too large" ? 0 : 1);
}

TEST(AtomicFile, AFailedWriteRemovesItsTemporaryFile) {
  t5test::TempDir dir("atomic");
  const std::string path = dir.file("r.json");
  t5test::write_file(path, "old");
  EXPECT_EXIT(write_under_a_four_byte_file_limit(path), testing::ExitedWithCode(0), "");
  EXPECT_EQ(t5test::read_file(path), "old");
  EXPECT_EQ(names_in(dir), std::vector<std::string>{"r.json"});
}

}  // namespace
