#pragma once

#include <functional>
#include <string>
#include <vector>

namespace t5bench {

// Writes `contents` to `path` so that readers only ever see the old file or the whole new one: a
// temporary file in the same directory, flushed to disk, then renamed over the target. Two writers
// racing on one path leave one complete file. Errors name the path. A SIGINT or SIGTERM that arrives
// before the rename abandons the write: the temporary file is removed, the target keeps its old
// contents, and Interrupted is thrown (cli/interrupt.h).
void write_file_atomically(const std::string& path, const std::string& contents);

// The same for files that belong together (a report's .md and .html): every temporary file is written and
// flushed first, then all are renamed, so an error or an interrupt before the renames leaves every target
// as it was.
struct FileToWrite {
  std::string path;
  std::string contents;
};
void write_files_atomically(const std::vector<FileToWrite>& files);

// For tests: called with each temporary file's path once it is written and flushed, before any rename, so
// a test can interrupt at the moment of writing. Empty (the default) in the command.
void set_before_rename_hook(std::function<void(const std::string& temporary)> hook);

}  // namespace t5bench
