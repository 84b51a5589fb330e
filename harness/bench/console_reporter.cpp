#include "bench/console_reporter.h"

#include <unistd.h>

#include "stats/text.h"

namespace t5bench {

namespace {

// "58.2, 61.0": the probes in the order they ran, whose spread shows how busy the machine was.
std::string probe_list(const t5::json& probes) {
  std::string text;
  char value[32];
  for (const t5::json& probe : probes) {
    std::snprintf(value, sizeof value, "%.1f", probe.get<double>());
    text += (text.empty() ? "" : ", ") + std::string(value);
  }
  return text;
}

}  // namespace

void print_bench_table(const t5::json& result, std::FILE* out) {
  const t5::json& own = result["context"]["t5bench"];
  const t5::json& suite = own["suite"];
  std::fprintf(out, "suite %s: %d -> %d tokens, batch %d, %d request(s) per run, %d runs (+%d warmup)\n",
               suite["name"].get<std::string>().c_str(), suite["input_tokens"].get<int>(),
               suite["output_tokens"].get<int>(), suite["batch"].get<int>(), suite["requests"].get<int>(),
               suite["runs"].get<int>(), suite["warmup"].get<int>());
  std::fprintf(out, "model %s (%s weights), %d threads, %s, kernels %s (class %s), OpenBLAS %s\n",
               own["model"]["name"].get<std::string>().c_str(), own["model"]["weights"].get<std::string>().c_str(),
               own["threads"].get<int>(), own["cpu_model"].get<std::string>().c_str(),
               own["isa"].get<std::string>().c_str(), own["machine_class"].get<std::string>().c_str(),
               own["blas"]["core"].get<std::string>().c_str());
  const t5::json& roofline = own["roofline"];
  std::fprintf(out, "roofline: read %.1f GB/s (probes %s) -> decode floor %.2f ms/token; sgemm %.0f GFLOP/s -> encoder floor %.1f ms\n\n",
               roofline["read_gb_per_s"].get<double>(), probe_list(roofline["read_gb_per_s_probes"]).c_str(),
               roofline["decode_floor_ms"].get<double>(), roofline["sgemm_gflops"].get<double>(),
               roofline["encoder_floor_ms"].get<double>());
  std::fprintf(out, "%-26s %9s %9s %9s %8s %9s %9s %9s %8s %7s %9s\n", "configuration", "P50 ms", "P90 ms",
               "mean ms", "stddev", "encoder", "decoder", "ms/token", "tok/s", "floor", "vs first");
  const t5::json& configurations = result["configurations"];
  double first_p50 = 0;
  for (size_t i = 0; i < configurations.size(); ++i) {
    const t5::json& c = configurations[i];
    const t5::json& s = c["statistics"];
    const double p50 = s["end_to_end_ms"]["p50"].get<double>();
    if (i == 0) first_p50 = p50;
    char ratio[32] = "";
    if (i > 0 && first_p50 > 0) std::snprintf(ratio, sizeof ratio, "%.3fx", p50 / first_p50);
    std::fprintf(out, "%-26s %9.1f %9.1f %9.1f %8.1f %9.1f %9.1f %9.2f %8.1f %6.2fx %9s\n",
                 c["name"].get<std::string>().c_str(), p50, s["end_to_end_ms"]["p90"].get<double>(),
                 s["end_to_end_ms"]["mean"].get<double>(), s["end_to_end_ms"]["stddev"].get<double>(),
                 s["encoder_ms"]["p50"].get<double>(), s["decoder_ms"]["p50"].get<double>(),
                 s["per_token_ms"]["p50"].get<double>(), s["tokens_per_second"]["p50"].get<double>(),
                 c["roofline"]["decode_time_over_floor"].get<double>(), ratio);
  }
  std::fprintf(out, "(encoder, decoder, ms/token: P50 per request; floor: decode time over the bandwidth floor)\n");
  // Each configuration against the first: the Hodges-Lehmann shift of the end-to-end runs, its 95%
  // interval and the Mann-Whitney p-value, as compare and gate print them.
  auto end_to_end_runs = [&](size_t i) {
    std::vector<double> runs;
    for (const t5::json& run : configurations[i]["runs"]) runs.push_back(run["end_to_end_ms"].get<double>());
    return runs;
  };
  for (size_t i = 1; i < configurations.size(); ++i) {
    const std::vector<double> first = end_to_end_runs(0), runs = end_to_end_runs(i);
    std::fprintf(out, "%s vs %s: end-to-end shift %s, p = %.3g\n", configurations[i]["name"].get<std::string>().c_str(),
                 configurations[0]["name"].get<std::string>().c_str(),
                 shift_percent_text(hodges_lehmann(first, runs), percentile(first, 0.5)).c_str(),
                 mann_whitney(runs, first).p_two_sided);
  }
}

ProgressBar::ProgressBar() : enabled_(::isatty(STDERR_FILENO) == 1) {}

void ProgressBar::update(int done, int total, const std::string& label, bool warmup) {
  if (!enabled_ || total <= 0) return;
  constexpr int kWidth = 30;
  const int filled = kWidth * done / total;
  std::fprintf(stderr, "\r  [%.*s%.*s] %d/%d %s%s\033[K", filled, "##############################",
               kWidth - filled, "..............................", done, total, label.c_str(),
               warmup ? " (warmup)" : "");
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::finish() {
  if (enabled_ && drawn_) std::fprintf(stderr, "\r\033[K");
  drawn_ = false;
}

}  // namespace t5bench
