#include "support/interrupted_write.h"

#include <signal.h>
#include <unistd.h>

#include <filesystem>

#include "cli/interrupt.h"
#include "io/atomic_file.h"

namespace t5test {

void run_interrupted_at_write(int nth, int signal, const std::function<void()>& work) {
  t5bench::install_interrupt_handlers();
  int written = 0;
  t5bench::set_before_rename_hook([&](const std::string& temporary) {
    if (!std::filesystem::exists(temporary)) ::_exit(3);
    if (++written == nth) ::raise(signal);
  });
  try {
    work();
  } catch (const t5bench::Interrupted&) {
    ::_exit(t5bench::interrupt_exit_status());
  }
  ::_exit(0);
}

}  // namespace t5test
