#include "io/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cli/interrupt.h"
#include "core/error.h"

namespace t5bench {

namespace {

std::string directory_of(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& contents) {
  std::string temporary = path + ".tmp.XXXXXX";
  int fd = ::mkstemp(temporary.data());
  if (fd < 0) t5::fail(path, std::string("cannot create a temporary file beside it: ") + std::strerror(errno));
  TemporaryFileGuard guard(temporary);  // removed if we are interrupted or fail before the rename
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
  if (::rename(temporary.c_str(), path.c_str()) != 0)
    t5::fail(path, std::string("cannot replace: ") + std::strerror(errno));
  guard.release();
  int dir = ::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY);
  if (dir >= 0) {  // make the rename itself durable
    ::fsync(dir);
    ::close(dir);
  }
}

}  // namespace t5bench
