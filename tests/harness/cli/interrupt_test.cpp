// TemporaryFileGuard: a temporary file is removed on every path out of its scope but a release.

#include "cli/interrupt.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>

#include "support/shared_data.h"

namespace {

TEST(TemporaryFileGuard, RemovesTheFileWhenAnErrorLeavesItsScope) {
  t5test::TempDir dir("guard");
  const std::string path = dir.file("result.json.tmp.1");
  t5test::write_file(path, "partial");
  try {
    t5bench::TemporaryFileGuard guard(path);
    throw std::runtime_error("write failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(TemporaryFileGuard, KeepsTheFileOnceReleased) {
  t5test::TempDir dir("guard");
  const std::string path = dir.file("result.json");
  t5test::write_file(path, "whole");
  {
    t5bench::TemporaryFileGuard guard(path);
    guard.release();
  }
  EXPECT_EQ(t5test::read_file(path), "whole");
}

TEST(TemporaryFileGuard, AFileAlreadyGoneIsNoError) {
  t5test::TempDir dir("guard");
  const std::string path = dir.file("renamed.tmp");
  { t5bench::TemporaryFileGuard guard(path); }  // never created: the unlink fails quietly
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
