#include "io/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "cli/interrupt.h"
#include "core/error.h"

namespace t5bench {

namespace {

std::function<void(const std::string&)>& before_rename_hook() {
  static std::function<void(const std::string&)> hook;
  return hook;
}

std::string directory_of(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

// Writes all of `contents` to `fd`, flushes it to disk and closes it; errors name `path`, the target.
void write_and_close(int fd, const std::string& path, const std::string& contents) {
  const char* data = contents.data();
  size_t left = contents.size();
  while (left > 0) {
    ssize_t written = ::write(fd, data, left);
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) {
      int err = errno;
      ::close(fd);
      t5::fail(path, std::string("write failed: ") + std::strerror(err));
    }
    data += written;
    left -= static_cast<size_t>(written);
  }
  if (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0) {
    int err = errno;
    ::close(fd);
    t5::fail(path, std::string("cannot flush: ") + std::strerror(err));
  }
  ::close(fd);
}

}  // namespace

void set_before_rename_hook(std::function<void(const std::string& temporary)> hook) {
  before_rename_hook() = std::move(hook);
}

void write_files_atomically(const std::vector<FileToWrite>& files) {
  // Each temporary file is removed if we fail or are interrupted before its rename.
  std::vector<std::unique_ptr<TemporaryFileGuard>> guards;
  std::vector<std::string> temporaries;
  for (const FileToWrite& file : files) {
    std::string temporary = file.path + ".tmp.XXXXXX";
    int fd = ::mkstemp(temporary.data());
    if (fd < 0) t5::fail(file.path, std::string("cannot create a temporary file beside it: ") + std::strerror(errno));
    guards.push_back(std::make_unique<TemporaryFileGuard>(temporary));
    write_and_close(fd, file.path, file.contents);
    if (before_rename_hook()) before_rename_hook()(temporary);
    temporaries.push_back(temporary);
  }
  throw_if_interrupted();
  for (size_t i = 0; i < files.size(); ++i) {
    if (::rename(temporaries[i].c_str(), files[i].path.c_str()) != 0)
      t5::fail(files[i].path, std::string("cannot replace: ") + std::strerror(errno));
    guards[i]->release();
  }
  for (const FileToWrite& file : files) {
    int dir = ::open(directory_of(file.path).c_str(), O_RDONLY | O_DIRECTORY);
    if (dir >= 0) {  // make the rename itself durable
      ::fsync(dir);
      ::close(dir);
    }
  }
}

void write_file_atomically(const std::string& path, const std::string& contents) {
  write_files_atomically({{path, contents}});
}

}  // namespace t5bench
