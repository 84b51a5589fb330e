// The bench command end to end on a tiny synthetic model: the Google Benchmark structure of its JSON,
// the terminal table, its errors, and what an interrupted run leaves behind.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <set>

#include "commands/commands.h"
#include "io/json_file.h"
#include "support/interrupted_write.h"
#include "support/shared_data.h"

extern char** environ;

namespace {

class BenchCommand : public testing::Test {
 protected:
  void SetUp() override {
    config_ = t5test::write_tiny_config(dir_);
    suite_ = dir_.file("suite.json");
    t5test::write_file(suite_, R"({"name": "tiny", "input_tokens": 16, "output_tokens": 4, "warmup": 1, "runs": 3,
                                   "prompts": {"kind": "random", "seed": 3}})");
  }
  std::string bench(const std::string& extra) const {
    return t5test::binary_path() + " bench --synthetic " + config_ + " --suite " + suite_ + " " + extra;
  }
  t5test::TempDir dir_{"bench"};
  std::string config_, suite_;
};

void expect_type(const t5::json& object, const char* key, t5::json::value_t type, const std::string& where) {
  ASSERT_TRUE(object.contains(key)) << where << " lacks " << key;
  if (type == t5::json::value_t::number_float)
    EXPECT_TRUE(object[key].is_number()) << where << "." << key;
  else if (type == t5::json::value_t::number_integer || type == t5::json::value_t::number_unsigned)
    EXPECT_TRUE(object[key].is_number_integer()) << where << "." << key << " = " << object[key].dump();
  else
    EXPECT_EQ(object[key].type(), type) << where << "." << key << " = " << object[key].dump();
}

TEST_F(BenchCommand, WritesGoogleBenchmarkJson) {
  const std::string out = dir_.file("r.json");
  const t5test::CommandResult r = t5test::run_command(bench("--configs baseline,optimized --out " + out));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("baseline"), std::string::npos);
  EXPECT_NE(r.out.find("optimized"), std::string::npos);
  const t5::json result = t5::read_json_file(out);

  using t = t5::json::value_t;
  const t5::json& context = result["context"];
  for (const auto& [key, type] : std::vector<std::pair<const char*, t>>{
           {"date", t::string}, {"host_name", t::string}, {"executable", t::string},
           {"num_cpus", t::number_integer}, {"mhz_per_cpu", t::number_integer},
           {"cpu_scaling_enabled", t::boolean}, {"caches", t::array}, {"load_avg", t::array},
           {"library_build_type", t::string}})
    expect_type(context, key, type, "context");
  for (const t5::json& cache : context["caches"]) {
    expect_type(cache, "type", t::string, "cache");
    expect_type(cache, "level", t::number_integer, "cache");
    expect_type(cache, "size", t::number_unsigned, "cache");
    expect_type(cache, "num_sharing", t::number_integer, "cache");
  }
  EXPECT_EQ(context["load_avg"].size(), 3u);
  EXPECT_EQ(context["t5bench"]["schema_version"], 1);
  EXPECT_EQ(context["t5bench"]["suite"]["name"], "tiny");
  // The roofline probes ran before and after the runs; the ceilings are the better of each pair.
  const t5::json& roofline = context["t5bench"]["roofline"];
  for (const char* probes : {"read_gb_per_s_probes", "sgemm_gflops_probes"}) {
    ASSERT_EQ(roofline[probes].size(), 2u) << probes;
    EXPECT_GT(roofline[probes][0].get<double>(), 0) << probes;
    EXPECT_GT(roofline[probes][1].get<double>(), 0) << probes;
  }
  EXPECT_DOUBLE_EQ(roofline["read_gb_per_s"].get<double>(),
                   std::max(roofline["read_gb_per_s_probes"][0].get<double>(), roofline["read_gb_per_s_probes"][1].get<double>()));
  EXPECT_DOUBLE_EQ(roofline["sgemm_gflops"].get<double>(),
                   std::max(roofline["sgemm_gflops_probes"][0].get<double>(), roofline["sgemm_gflops_probes"][1].get<double>()));
  EXPECT_DOUBLE_EQ(roofline["decode_floor_ms"].get<double>(),
                   roofline["decode_step_weight_bytes"].get<double>() / (roofline["read_gb_per_s"].get<double>() * 1e6));

  const std::set<std::string> aggregates{"mean", "median", "stddev", "cv", "p90", "p99", "min", "max"};
  std::map<std::string, int> iterations, aggregate_entries;
  std::map<std::string, double> medians;
  for (const t5::json& b : result["benchmarks"]) {
    for (const auto& [key, type] : std::vector<std::pair<const char*, t>>{
             {"name", t::string}, {"run_name", t::string}, {"run_type", t::string},
             {"family_index", t::number_integer}, {"per_family_instance_index", t::number_integer},
             {"repetitions", t::number_integer}, {"threads", t::number_integer}, {"iterations", t::number_integer},
             {"real_time", t::number_float}, {"cpu_time", t::number_float}, {"time_unit", t::string}})
      expect_type(b, key, type, b.value("name", "?"));
    EXPECT_EQ(b["time_unit"], "ms");
    EXPECT_EQ(b["repetitions"], 3);
    EXPECT_GT(b["real_time"].get<double>(), 0);
    for (const char* counter : {"encoder_ms", "decoder_ms", "tokens_per_second", "per_token_ms"})
      EXPECT_TRUE(b[counter].is_number()) << counter;
    const std::string run = b["run_name"];
    if (b["run_type"] == "iteration") {
      EXPECT_EQ(b["name"], run);
      EXPECT_EQ(b["repetition_index"], iterations[run]++);
    } else {
      ASSERT_EQ(b["run_type"], "aggregate");
      EXPECT_TRUE(aggregates.count(b["aggregate_name"].get<std::string>())) << b["aggregate_name"];
      EXPECT_EQ(b["name"], run + "_" + b["aggregate_name"].get<std::string>());
      EXPECT_EQ(b["aggregate_unit"], b["aggregate_name"] == "cv" ? "percentage" : "time");
      if (b["aggregate_name"] == "median") medians[run] = b["real_time"];
      ++aggregate_entries[run];
    }
  }
  EXPECT_EQ(iterations, (std::map<std::string, int>{{"tiny/baseline", 3}, {"tiny/optimized", 3}}));
  EXPECT_EQ(aggregate_entries, (std::map<std::string, int>{{"tiny/baseline", 8}, {"tiny/optimized", 8}}));

  ASSERT_EQ(result["configurations"].size(), 2u);
  for (const t5::json& c : result["configurations"]) {
    EXPECT_EQ(c["runs"].size(), 3u);
    const double p50 = c["statistics"]["end_to_end_ms"]["p50"];
    EXPECT_DOUBLE_EQ(medians["tiny/" + c["name"].get<std::string>()], p50);
    for (const char* op : {"attention", "ffn", "lm_head", "norm", "cross_kv"})
      EXPECT_TRUE(c["op_breakdown_ms"][op].is_number()) << op;
  }
  const t5::json& comparison = result["comparisons"][0];
  EXPECT_EQ(comparison["configuration"], "optimized");
  EXPECT_EQ(comparison["against"], "baseline");
  EXPECT_DOUBLE_EQ(comparison["end_to_end_p50_ratio"].get<double>(),
                   result["configurations"][1]["statistics"]["end_to_end_ms"]["p50"].get<double>() /
                       result["configurations"][0]["statistics"]["end_to_end_ms"]["p50"].get<double>());
}

TEST_F(BenchCommand, RefusesBadSuitesAndConfigurations) {
  const std::string out = dir_.file("r.json");
  t5test::write_file(suite_, R"({"name": "tiny", "input_tokens": 16, "output_tokens": 0, "prompts": {"kind": "random"}})");
  t5test::CommandResult r = t5test::run_command(bench("--out " + out));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "t5bench bench: " + suite_ + ": field 'output_tokens' must be in [1, 65536], got 0\n");
  r = t5test::run_command(bench("--configs baseline,turbo --out " + out));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
            "t5bench bench: unknown configuration 'turbo' (baseline, optimized, fused_attention, preallocated_kv, "
            "fused_projections, pinned_threads, overlap, blocked_gemv, blocked_gemm, or optimized-<optimization>)");
  EXPECT_FALSE(std::filesystem::exists(out));
}

// A child process whose stderr is a pseudo-terminal, so that it draws its progress bar there.
struct TerminalChild {
  pid_t pid = -1;
  int terminal = -1;  // our end
};

TerminalChild spawn_on_terminal(std::vector<std::string> args) {
  TerminalChild child;
  child.terminal = ::posix_openpt(O_RDWR | O_NOCTTY);
  if (child.terminal < 0 || ::grantpt(child.terminal) != 0 || ::unlockpt(child.terminal) != 0) return child;
  const int their_end = ::open(::ptsname(child.terminal), O_RDWR | O_NOCTTY);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, their_end, STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, child.terminal);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  if (posix_spawn(&child.pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) child.pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  ::close(their_end);
  return child;
}

// Reads the terminal until `text` appears (true) or the child closes it (false).
bool wait_for_output(int terminal, const std::string& text) {
  std::string seen;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(terminal, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    seen.append(buffer, static_cast<size_t>(n));
    if (seen.find(text) != std::string::npos) return true;
  }
}

// SIGINT or SIGTERM in the middle of the measured runs: exit 130 / 143 and the earlier result untouched.
// The signal goes when the progress bar shows three runs done (one warmup per configuration, then one
// measured run): an event, not a guess at how long start-up takes on a loaded host.
TEST_F(BenchCommand, InterruptedRunLeavesThePreviousResultIntact) {
  const std::string out = dir_.file("r.json");
  const std::string before = "{\"an earlier result\": true}\n";
  t5test::write_file(out, before);
  for (const int signal : {SIGINT, SIGTERM}) {
    TerminalChild child = spawn_on_terminal({t5test::binary_path(), "bench", "--synthetic", config_, "--suite", suite_,
                                             "--runs", "100000", "--out", out});
    ASSERT_GT(child.pid, 0);
    EXPECT_TRUE(wait_for_output(child.terminal, "] 3/200002 optimized"));  // 2 x (1 warmup + 100000 runs)
    ::kill(child.pid, signal);
    int status = 0;
    ASSERT_EQ(::waitpid(child.pid, &status, 0), child.pid);
    ::close(child.terminal);
    ASSERT_TRUE(WIFEXITED(status)) << "ended by signal " << WTERMSIG(status);
    EXPECT_EQ(WEXITSTATUS(status), 128 + signal);
    EXPECT_EQ(t5test::read_file(out), before);
  }
}

// SIGINT at the moment the result is written (its temporary file in place): exit 130, the earlier result
// untouched and the temporary file gone.
TEST_F(BenchCommand, InterruptedWhileWritingLeavesThePreviousResultIntact) {
  const std::string out = dir_.file("r.json");
  const std::string before = "{\"an earlier result\": true}\n";
  t5test::write_file(out, before);
  const std::vector<std::string> args = {"--synthetic", config_, "--suite", suite_, "--out", out};
  EXPECT_EXIT(t5test::run_interrupted_at_write(1, SIGINT, [&] { t5bench::run_bench(args); }),
              testing::ExitedWithCode(130), "");
  EXPECT_EQ(t5test::read_file(out), before);
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path()))
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
}

}  // namespace
