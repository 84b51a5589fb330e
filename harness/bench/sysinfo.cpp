#include "bench/sysinfo.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>

#include "build_info.h"
#include "cli/model_args.h"
#include "core/cpu.h"
#include "core/topology.h"
#include "kernels/dispatch.h"

#ifndef T5BENCH_VERSION
#define T5BENCH_VERSION "unknown"
#endif
#ifndef T5BENCH_COMPILER_FLAGS
#define T5BENCH_COMPILER_FLAGS ""
#endif
#ifndef T5BENCH_BUILD_TYPE
#define T5BENCH_BUILD_TYPE ""
#endif

namespace t5bench {

namespace {

std::string run_quietly(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen((command + " 2>/dev/null").c_str(), "r");
  if (!pipe) return out;
  std::array<char, 256> buffer;
  while (std::fgets(buffer.data(), buffer.size(), pipe)) out += buffer.data();
  ::pclose(pipe);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

std::string iso_date() {
  std::time_t now = std::time(nullptr);
  std::tm local;
  ::localtime_r(&now, &local);
  char text[64];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S%z", &local);
  const std::string s = text;  // +0000 -> +00:00, as Google Benchmark writes it
  return s.substr(0, s.size() - 2) + ":" + s.substr(s.size() - 2);
}

int cpu_mhz() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("cpu MHz", 0) == 0) return std::atoi(line.substr(line.find(':') + 1).c_str());
  return 0;
}

bool cpu_scaling_enabled() {
  std::ifstream in("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
  std::string governor;
  return in >> governor && governor != "performance";
}

std::string compiler() {
#if defined(__clang__)
  return std::string("Clang ") + __clang_version__;
#elif defined(__GNUC__)
  return std::string("GNU ") + __VERSION__;
#else
  return "unknown";
#endif
}

}  // namespace

std::string machine_class() {
  struct utsname name;
  const std::string arch = ::uname(&name) == 0 ? name.machine : "unknown";
  const std::string tier = t5::isa_tier_name(t5::active_isa_tier());
  return arch + "-" + tier + "-" + std::to_string(t5::machine_topology().core_count()) + "c";
}

t5::json machine_context(const std::string& command_line) {
  const t5::Topology& topology = t5::machine_topology();
  t5::json caches = t5::json::array();
  for (const t5::CacheLevel& c : topology.caches())
    caches.push_back({{"type", c.type}, {"level", c.level}, {"size", c.bytes}, {"num_sharing", c.shared_by}});
  double load[3] = {0, 0, 0};
  if (::getloadavg(load, 3) != 3) load[0] = load[1] = load[2] = 0;
  char host[256] = "unknown";
  ::gethostname(host, sizeof host - 1);

  const t5::CpuInfo& cpu = t5::cpu_info();

  t5::json own = {
      {"schema_version", 1},
      {"version", T5BENCH_VERSION},
      {"command", command_line},
      {"git_commit", T5BENCH_GIT_COMMIT},
      {"git_dirty", T5BENCH_GIT_DIRTY},
      {"compiler", compiler()},
      {"build_type", T5BENCH_BUILD_TYPE},
      {"compiler_flags", T5BENCH_COMPILER_FLAGS},
      {"cpu_model", cpu.model_name},
      {"isa", t5::isa_tier_name(t5::active_isa_tier())},
      {"cpu_flags", cpu.isa},
      {"topology",
       {{"cores", topology.core_count()},
        {"processing_units", topology.pu_count()},
        {"numa_nodes", topology.numa_node_count()},
        {"l1d_bytes", topology.l1d_bytes()},
        {"l2_bytes", topology.l2_bytes()},
        {"l3_bytes", topology.l3_bytes()}}},
      {"blas",
       {{"library", "OpenBLAS"},
        {"core", t5::blas_core_name()},
        {"OPENBLAS_CORETYPE", std::getenv("OPENBLAS_CORETYPE") ? std::getenv("OPENBLAS_CORETYPE") : ""}}},
      {"machine_class", machine_class()},
  };
  return {
      {"date", iso_date()},
      {"host_name", host},
      {"executable", run_quietly("readlink /proc/" + std::to_string(::getpid()) + "/exe")},
      {"num_cpus", static_cast<int>(::sysconf(_SC_NPROCESSORS_ONLN))},
      {"mhz_per_cpu", cpu_mhz()},
      {"cpu_scaling_enabled", cpu_scaling_enabled()},
      {"caches", caches},
      {"load_avg", {load[0], load[1], load[2]}},
      {"library_build_type", std::string(T5BENCH_BUILD_TYPE) == "Debug" ? "debug" : "release"},
      {"t5bench", own},
  };
}

std::string config_hash(const t5::T5Config& c) {
  const std::string canonical =
      std::to_string(c.vocab_size) + "/" + std::to_string(c.d_model) + "/" + std::to_string(c.d_kv) + "/" +
      std::to_string(c.d_ff) + "/" + std::to_string(c.num_layers) + "/" + std::to_string(c.num_decoder_layers) + "/" +
      std::to_string(c.num_heads) + "/" + std::to_string(c.relative_attention_num_buckets) + "/" +
      std::to_string(c.relative_attention_max_distance) + "/" + std::to_string(c.layer_norm_epsilon) + "/" +
      c.feed_forward_proj + "/" + std::to_string(c.tie_word_embeddings) + "/" + std::to_string(c.scale_decoder_outputs);
  uint64_t hash = 1469598103934665603ull;  // FNV-1a 64
  for (unsigned char ch : canonical) hash = (hash ^ ch) * 1099511628211ull;
  char text[32];
  std::snprintf(text, sizeof text, "fnv1a64:%016llx", static_cast<unsigned long long>(hash));
  return text;
}

t5::json model_description(const t5::Model& model) {
  const t5::T5Config& c = model.config();
  return {
      {"name", model.name()},
      {"weights", weight_type_name(model.weight_type())},
      {"stored_dtype", model.stored_dtype()},
      {"config_hash", config_hash(c)},
      {"d_model", c.d_model},
      {"d_ff", c.d_ff},
      {"num_heads", c.num_heads},
      {"d_kv", c.d_kv},
      {"encoder_layers", c.num_layers},
      {"decoder_layers", c.num_decoder_layers},
      {"vocab_size", c.vocab_size},
      {"weight_bytes", model.store().total_bytes()},
  };
}

std::string join_command_line(const std::string& command, const std::vector<std::string>& args) {
  std::string line = "t5bench " + command;
  for (const std::string& arg : args) {
    const bool quote = arg.find_first_of(" \t'\"") != std::string::npos || arg.empty();
    line += " " + (quote ? "'" + arg + "'" : arg);
  }
  return line;
}

}  // namespace t5bench
