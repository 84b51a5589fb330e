#pragma once

#include <functional>

namespace t5test {

// For a death test's child: runs `work` with the interrupt handlers installed and a hook that raises
// `signal` once the `nth` temporary file of an atomic write is written (first exiting 3 if that file is
// not there), so the signal lands at the moment of writing. Exits 128 + signal when `work` gives up with
// Interrupted, as the command does, and 0 when it returns.
[[noreturn]] void run_interrupted_at_write(int nth, int signal, const std::function<void()>& work);

}  // namespace t5test
