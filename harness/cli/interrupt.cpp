#include "cli/interrupt.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

namespace t5bench {

namespace {

std::atomic<int> received_signal{0};

void on_signal(int signal) { received_signal.store(signal); }

}  // namespace

void install_interrupt_handlers() {
  struct sigaction action;
  std::memset(&action, 0, sizeof action);
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool interrupted() { return received_signal.load() != 0; }
int interrupt_exit_status() { return 128 + received_signal.load(); }

void throw_if_interrupted() {
  if (interrupted()) throw Interrupted{};
}

TemporaryFileGuard::TemporaryFileGuard(const std::string& path) : path_(path) {}

TemporaryFileGuard::~TemporaryFileGuard() {
  if (active_) ::unlink(path_.c_str());
}

void TemporaryFileGuard::release() { active_ = false; }

}  // namespace t5bench
