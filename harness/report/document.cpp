#include "report/document.h"

#include <algorithm>

#include "report/charts.h"
#include "report/format.h"

namespace t5bench::report {

namespace {

constexpr size_t kDivergencesShown = 20;

Block heading(int level, const std::string& text) {
  Block b;
  b.kind = Block::kHeading;
  b.level = level;
  b.text = text;
  return b;
}

Block paragraph(const std::string& text) {
  Block b;
  b.kind = Block::kParagraph;
  b.text = text;
  return b;
}

Block table_block(const Table& table) {
  Block b;
  b.kind = Block::kTable;
  b.table = table;
  return b;
}

Block chart_block(const std::string& caption, const std::string& svg) {
  Block b;
  b.kind = Block::kChart;
  b.text = caption;
  b.svg = svg;
  return b;
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : separator) + item;
  return text;
}

std::string count(int n, const std::string& singular, const std::string& plural) {
  return std::to_string(n) + " " + (n == 1 ? singular : plural);
}

// The instruction set extensions that matter for these kernels, of all the CPU reports.
std::string isa_highlights(const std::vector<std::string>& isa) {
  static const char* const kNotable[] = {"avx2",     "fma",      "avx512f",  "avx512_bf16", "avx512_vnni",
                                         "avx_vnni", "amx_tile", "amx_bf16", "amx_int8"};
  std::vector<std::string> present;
  for (const char* name : kNotable)
    if (std::find(isa.begin(), isa.end(), name) != isa.end()) present.push_back(name);
  return present.empty() ? "no AVX2" : join(present, " ");
}

// The machine and the classes (kernel tiers) its results were measured at.
std::string machine_text(const RunContext& c, const std::vector<std::string>& classes) {
  return c.cpu_model + ", " + count(c.cores, "core", "cores") + ", " + isa_highlights(c.isa) +
         (classes.size() > 1 ? "; classes " + join(classes, ", ") : "; class " + c.machine_class) + "; OpenBLAS " +
         c.blas_core + " kernels";
}

// "t5-synth-tasks, bf16 weights": the model and the type its weights were computed in.
std::string model_text(const RunContext& c) { return c.model_name + ", " + c.weights + " weights"; }

std::string suite_text(const BenchSuiteInfo& s) {
  return s.name + ": " + std::to_string(s.input_tokens) + " input → " + std::to_string(s.output_tokens) +
         " output tokens, batch " + std::to_string(s.batch) + ", " + count(s.requests, "request", "requests") +
         " per run";
}

std::string switches_text(const std::vector<std::string>& enabled) {
  return enabled.empty() ? "none" : join(enabled, ", ");
}

std::vector<std::string> configuration_names(const BenchResult& r) {
  std::vector<std::string> names;
  for (const BenchConfiguration& c : r.configurations) names.push_back(c.name);
  return names;
}

// The machine classes of the results, bench then accuracy, in the order they first appear.
std::vector<std::string> machine_classes(const ReportInputs& in) {
  std::vector<std::string> classes;
  auto add = [&](const RunContext& c) {
    if (std::find(classes.begin(), classes.end(), c.machine_class) == classes.end()) classes.push_back(c.machine_class);
  };
  for (const BenchResult& r : in.bench) add(r.context);
  for (const AccuracyResult& r : in.accuracy) add(r.context);
  return classes;
}

void add_header(Document& doc, const ReportInputs& in, const std::vector<std::string>& classes) {
  const RunContext& c = !in.bench.empty() ? in.bench.front().context : in.accuracy.front().context;
  // A report of many results names each model and suite once.
  std::vector<std::string> models, suites;
  const auto add_once = [](std::vector<std::string>& list, const std::string& item) {
    if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
  };
  for (const BenchResult& r : in.bench) {
    add_once(models, model_text(r.context));
    add_once(suites, suite_text(r.suite));
  }
  for (const AccuracyResult& r : in.accuracy) {
    add_once(models, model_text(r.context));
    add_once(suites, r.suite_name + ": accuracy, " + count(r.suite_cases, "case", "cases") + " against " + r.reference);
  }
  Block facts;
  facts.kind = Block::kFacts;
  facts.facts = {{"Date", c.date},
                 {"Machine", machine_text(c, classes)},
                 {"Commit", commit_text(c.git_commit, c.git_dirty) + ", t5bench " + c.version},
                 {"Model", join(models, "; ")},
                 {"Suite", join(suites, "; ")},
                 {"Threads", std::to_string(c.threads)}};
  doc.blocks.push_back(facts);

  Table sources{{"File", "Kind", "Suite", "Date", "Commit", "Machine class"}, {false, false, false, false, false, false}, {}};
  bool same_machine = true;
  auto add_source = [&](const std::string& path, const char* kind, const std::string& suite, const RunContext& r) {
    sources.rows.push_back({path, kind, suite, r.date, commit_text(r.git_commit, r.git_dirty), r.machine_class});
    // One CPU forced to several tiers (T5BENCH_ISA) is still one machine: its classes differ, its CPU does not.
    same_machine = same_machine && r.cpu_model == c.cpu_model && r.cores == c.cores && r.isa == c.isa;
  };
  for (const BenchResult& r : in.bench) add_source(r.path, "bench", r.suite.name, r.context);
  for (const AccuracyResult& r : in.accuracy) add_source(r.path, "accuracy", r.suite_name, r.context);
  doc.blocks.push_back(heading(2, "Sources"));
  doc.blocks.push_back(table_block(sources));
  if (!same_machine)
    doc.blocks.push_back(paragraph("Not every result comes from the machine above: numbers from different machines "
                                   "compare the machines as much as the code."));
}

void add_method(Document& doc, const BenchResult& r) {
  const BenchSuiteInfo& s = r.suite;
  doc.blocks.push_back(heading(3, "How it was measured"));
  doc.blocks.push_back(paragraph(
      "Each run is " + count(s.requests, "request", "requests") + " of " + std::to_string(s.input_tokens) +
      " input tokens generating " + std::to_string(s.output_tokens) + " output tokens (batch " +
      std::to_string(s.batch) + "), model " + r.context.model_name + " with " + r.context.weights + " weights on " +
      count(r.context.threads, "thread", "threads") + ". Each configuration ran " +
      count(s.warmup, "warmup run", "warmup runs") + ", then " + count(s.runs, "measured run", "measured runs") +
      "; the configurations took turns run by run (A B C … A B C …), so drift in the machine's state (clocks, "
      "caches, other load) reaches all of them alike. Warmup runs are not counted."));
  std::string statistics =
      "Statistics are over the measured runs: P50 is the median, P90 and P99 the 90th and 99th percentiles "
      "(linear interpolation between the sorted runs), mean ± the sample standard deviation.";
  if (s.runs < 100)
    statistics += " With " + count(s.runs, "run", "runs") + " P99 lies near the slowest run; read it as indicative.";
  doc.blocks.push_back(paragraph(statistics));
  doc.blocks.push_back(paragraph(
      "Encoder, decoder, first token and ms/token are P50s per request; ms/token is the decoder's time per "
      "generated token and tok/s counts generated tokens over the end-to-end time. The bandwidth floor is the "
      "time to read the " + fixed(r.roofline.decode_step_weight_bytes / 1e6, 1) + " MB of weights each decode step "
      "needs at the " + fixed(r.roofline.read_gb_per_s, 1) + " GB/s measured in the same run: " +
      fixed(r.roofline.decode_floor_ms, 2) + " ms per token; \"over floor\" is the decoder's time per token "
      "divided by it (1.000× would be the memory-bound limit)."));
}

void add_latency(Document& doc, const BenchResult& r, const std::string& id) {
  const double first_p50 = r.configurations.front().end_to_end.p50;
  Table t{{"Configuration", "P50 ms", "P90 ms", "P99 ms", "Mean ± sd ms", "Min–max ms", "Encoder ms", "Decoder ms",
           "First token ms", "ms/token", "tok/s", "vs first", "Over floor"},
          {false, true, true, true, true, true, true, true, true, true, true, true, true},
          {}};
  DotPlot distribution{{id + "-distribution", "End-to-end latency of every run", "", "end-to-end latency per run (ms)"},
                       {}, {}, {}, {}};
  StackedBarChart split{{id + "-split", "Encoder and decoder time", "", "P50 time per request (ms)"},
                        {}, {"encoder", "decoder"}, {}, {}};
  BarChart throughput{{id + "-throughput", "Tokens per second", "", "generated tokens per second (P50)"}, {}, {}, {}, {}, ""};
  std::vector<std::string> distribution_text, split_text, throughput_text;
  for (const BenchConfiguration& c : r.configurations) {
    const Stat& e = c.end_to_end;
    t.rows.push_back({c.name, ms(e.p50), ms(e.p90), ms(e.p99), ms(e.mean) + " ± " + ms(e.stddev), ms(e.min) + "–" + ms(e.max),
                      ms(c.encoder.p50), ms(c.decoder.p50), ms(c.first_token.p50), fixed(c.per_token.p50, 2),
                      fixed(c.tokens_per_second.p50, 1), ratio(first_p50 > 0 ? e.p50 / first_p50 : 0),
                      ratio(c.decode_time_over_floor)});
    distribution.labels.push_back(c.name);
    distribution.samples.push_back(c.runs.at("end_to_end_ms"));
    distribution.p50.push_back(e.p50);
    distribution.p90.push_back(e.p90);
    distribution_text.push_back(c.name + ": " + count(static_cast<int>(c.runs.at("end_to_end_ms").size()), "run", "runs") +
                                ", P50 " + ms(e.p50) + " ms, P90 " + ms(e.p90) + " ms");
    split.labels.push_back(c.name);
    split.values.push_back({c.encoder.p50, c.decoder.p50});
    split.total_labels.push_back(ms(c.encoder.p50 + c.decoder.p50) + " ms");
    split_text.push_back(c.name + ": encoder " + ms(c.encoder.p50) + " ms, decoder " + ms(c.decoder.p50) + " ms");
    throughput.labels.push_back(c.name);
    throughput.values.push_back(c.tokens_per_second.p50);
    throughput.value_labels.push_back(fixed(c.tokens_per_second.p50, 1) + " tok/s");
    throughput_text.push_back(c.name + ": " + fixed(c.tokens_per_second.p50, 1) + " tokens per second");
  }
  distribution.text.description = "Each dot is one measured run; the solid mark is P50, the dashed mark P90. " +
                                   join(distribution_text, "; ") + ".";
  split.text.description = "P50 encoder and decoder time per request, stacked. " + join(split_text, "; ") + ".";
  throughput.text.description = "P50 generated tokens per second over end-to-end time. " + join(throughput_text, "; ") + ".";

  doc.blocks.push_back(heading(3, "Latency"));
  doc.blocks.push_back(paragraph("End-to-end milliseconds per run, then P50s per request; \"vs first\" is the P50 "
                                 "relative to " + r.configurations.front().name + "."));
  doc.blocks.push_back(table_block(t));
  doc.blocks.push_back(chart_block("Latency distribution: every measured run as a dot, P50 (solid) and P90 (dashed) marked.",
                                   dot_plot(distribution)));
  doc.blocks.push_back(chart_block("Encoder and decoder: P50 time per request.", stacked_bar_chart(split)));
  doc.blocks.push_back(chart_block("Throughput: P50 generated tokens per second.", bar_chart(throughput)));
}

void add_ablation(Document& doc, const BenchResult& r, const std::map<std::string, std::string>& notes,
                  const std::string& id) {
  const BenchConfiguration& baseline = r.configurations.front();
  Table t{{"Configuration", "Enabled switches", "P50 ms", "vs " + baseline.name}, {false, false, true, true}, {}};
  if (!notes.empty()) {
    t.header.push_back("Note");
    t.numeric.push_back(false);
  }
  BarChart bars{{id + "-ablation", "P50 latency relative to " + baseline.name, "",
                 "P50 end-to-end latency relative to " + baseline.name + " (×)"},
                {}, {}, {}, 1.0, baseline.name + " 1.000×"};
  std::vector<std::string> described;
  for (const BenchConfiguration& c : r.configurations) {
    const double relative = baseline.end_to_end.p50 > 0 ? c.end_to_end.p50 / baseline.end_to_end.p50 : 0;
    std::vector<std::string> row = {c.name, switches_text(c.enabled), ms(c.end_to_end.p50), ratio(relative)};
    if (!notes.empty()) {
      const auto note = notes.find(c.name);
      row.push_back(note == notes.end() ? "" : note->second);
    }
    t.rows.push_back(row);
    bars.labels.push_back(c.name);
    bars.values.push_back(relative);
    bars.value_labels.push_back(ratio(relative));
    described.push_back(c.name + ": " + ratio(relative));
  }
  bars.text.description = "Each configuration's P50 end-to-end latency divided by " + baseline.name +
                          "'s; below 1 is faster. " + join(described, "; ") + ".";
  doc.blocks.push_back(heading(3, "Ablation"));
  doc.blocks.push_back(paragraph("Each configuration's P50 end-to-end latency relative to the first, " + baseline.name +
                                 "; below 1.000× is faster."));
  doc.blocks.push_back(table_block(t));
  doc.blocks.push_back(chart_block("Ablation: P50 relative to " + baseline.name + " (dashed line).", bar_chart(bars)));
}

void add_operations(Document& doc, const BenchResult& r, const std::string& id) {
  Table t{{"Configuration"}, {false}, {}};
  for (const char* name : kOpKindNames) {
    t.header.push_back(std::string(name) + " ms");
    t.numeric.push_back(true);
  }
  t.header.push_back("Total ms");
  t.numeric.push_back(true);
  // Embedding takes a fraction of a millisecond: the chart folds it into "other" to keep six segments.
  StackedBarChart bars{{id + "-operations", "Time per operation", "", "mean time per request (ms)"},
                       {}, {"attention", "cross_kv", "ffn", "lm_head", "norm", "embedding + other"}, {}, {}};
  std::vector<std::string> described;
  for (const BenchConfiguration& c : r.configurations) {
    std::vector<std::string> row = {c.name};
    double total = 0;
    for (double v : c.op_ms) {
      row.push_back(ms(v));
      total += v;
    }
    row.push_back(ms(total));
    t.rows.push_back(row);
    bars.labels.push_back(c.name);
    bars.values.push_back({c.op_ms[0], c.op_ms[1], c.op_ms[2], c.op_ms[3], c.op_ms[4], c.op_ms[5] + c.op_ms[6]});
    bars.total_labels.push_back(ms(total) + " ms");
    std::vector<std::string> parts;
    for (int k = 0; k < kOpKindCount; ++k) parts.push_back(std::string(kOpKindNames[k]) + " " + ms(c.op_ms[k]));
    described.push_back(c.name + ": " + join(parts, ", ") + " ms");
  }
  bars.text.description = "Mean time per request in each kind of operation, stacked. " + join(described, "; ") + ".";
  doc.blocks.push_back(heading(3, "Time per operation"));
  doc.blocks.push_back(paragraph("Mean milliseconds per request spent in each kind of operation, encoder and every "
                                 "decode step together, as the engine's operation timers measured them over the "
                                 "measured runs."));
  doc.blocks.push_back(table_block(t));
  doc.blocks.push_back(chart_block("Time per operation: mean milliseconds per request.", stacked_bar_chart(bars)));
}

void add_roofline(Document& doc, const BenchResult& r, const std::string& id) {
  Table t{{"Configuration", "ms/token", "Floor ms", "Over floor", "Floor / time", "Encoder share of SGEMM peak"},
          {false, true, true, true, true, true},
          {}};
  BarChart bars{{id + "-roofline", "Decode time per token against the bandwidth floor", "",
                 "decoder time per generated token, P50 (ms)"},
                {}, {}, {}, r.roofline.decode_floor_ms,
                "floor " + fixed(r.roofline.decode_floor_ms, 2) + " ms at " + fixed(r.roofline.read_gb_per_s, 1) + " GB/s"};
  std::vector<std::string> described;
  for (const BenchConfiguration& c : r.configurations) {
    t.rows.push_back({c.name, fixed(c.per_token.p50, 2), fixed(c.decode_floor_ms, 2), ratio(c.decode_time_over_floor),
                      percent(c.decode_fraction_of_floor), percent(c.encoder_fraction_of_sgemm_peak)});
    bars.labels.push_back(c.name);
    bars.values.push_back(c.per_token.p50);
    bars.value_labels.push_back(fixed(c.per_token.p50, 2) + " ms, " + ratio(c.decode_time_over_floor));
    described.push_back(c.name + ": " + fixed(c.per_token.p50, 2) + " ms per token, " +
                        ratio(c.decode_time_over_floor) + " the floor");
  }
  bars.text.description = "Decoder time per token (P50) of each configuration; the dashed line is the bandwidth floor of " +
                          fixed(r.roofline.decode_floor_ms, 2) + " ms. " + join(described, "; ") + ".";
  doc.blocks.push_back(heading(3, "Roofline"));
  doc.blocks.push_back(paragraph(
      "Each decode step reads the " + fixed(r.roofline.decode_step_weight_bytes / 1e6, 1) +
      " MB of weights it uses once, so memory bandwidth bounds it from below: " +
      fixed(r.roofline.decode_floor_ms, 2) + " ms per token at the " + fixed(r.roofline.read_gb_per_s, 1) +
      " GB/s measured in the run. \"Floor / time\" is the share of that bandwidth a configuration reaches. The "
      "encoder is bound by arithmetic instead: " + fixed(r.roofline.encoder_floor_ms, 1) + " ms at the " +
      fixed(r.roofline.sgemm_gflops, 1) + " GFLOP/s SGEMM measured in the run; its share is that floor over the "
      "encoder's P50."));
  doc.blocks.push_back(table_block(t));
  doc.blocks.push_back(chart_block("Roofline: decoder time per token against the bandwidth floor (dashed line).",
                                   bar_chart(bars)));
}

// Earlier releases of the same suite, model and weights on the same machine class, and this result as the
// latest point: a history across machines would show the machines' difference as a release's.
void add_history(Document& doc, const BenchResult& current, const std::vector<BenchResult>& history,
                 const std::string& id) {
  std::vector<const BenchResult*> releases;
  for (const BenchResult& h : history) {
    // The same run copied into the history directory would appear twice.
    const bool is_current = h.context.date == current.context.date && h.context.git_commit == current.context.git_commit;
    const bool comparable = h.suite.name == current.suite.name && model_text(h.context) == model_text(current.context) &&
                            h.context.machine_class == current.context.machine_class;
    if (comparable && !is_current) releases.push_back(&h);
  }
  if (releases.empty()) return;
  releases.push_back(&current);

  std::vector<std::string> names = configuration_names(current);
  for (const BenchResult* release : releases)
    for (const BenchConfiguration& c : release->configurations)
      if (std::find(names.begin(), names.end(), c.name) == names.end()) names.push_back(c.name);

  Table t{{"Release", "Date", "Commit", "Machine class", "Configuration", "P50 ms", "tok/s"},
          {false, false, false, false, false, true, true},
          {}};
  LineChart latency{{id + "-history-latency", "P50 latency per release", "", "P50 end-to-end (ms)"}, {}, {}, names, {}};
  LineChart throughput{{id + "-history-throughput", "Tokens per second per release", "", "P50 tokens per second"},
                       {}, {}, names, {}};
  latency.values.assign(names.size(), {});
  throughput.values.assign(names.size(), {});
  std::vector<std::string> described;
  for (const BenchResult* release : releases) {
    const std::string version = release->context.version + (release == &current ? " (this report)" : "");
    latency.x_labels.push_back(release->context.version);
    latency.x_sublabels.push_back(release == &current ? "this report" : release->context.date.substr(0, 10));
    for (size_t s = 0; s < names.size(); ++s) {
      const BenchConfiguration* found = nullptr;
      for (const BenchConfiguration& c : release->configurations)
        if (c.name == names[s]) found = &c;
      latency.values[s].push_back(found ? std::optional<double>(found->end_to_end.p50) : std::nullopt);
      throughput.values[s].push_back(found ? std::optional<double>(found->tokens_per_second.p50) : std::nullopt);
      if (!found) continue;
      t.rows.push_back({version, release->context.date, commit_text(release->context.git_commit, release->context.git_dirty),
                        release->context.machine_class, found->name, ms(found->end_to_end.p50),
                        fixed(found->tokens_per_second.p50, 1)});
      described.push_back(release->context.version + " " + found->name + ": " + ms(found->end_to_end.p50) + " ms, " +
                          fixed(found->tokens_per_second.p50, 1) + " tok/s");
    }
  }
  throughput.x_labels = latency.x_labels;
  throughput.x_sublabels = latency.x_sublabels;
  latency.text.description = "P50 end-to-end latency per release, one line per configuration. " + join(described, "; ") + ".";
  throughput.text.description = "P50 tokens per second per release, one line per configuration. " + join(described, "; ") + ".";

  doc.blocks.push_back(heading(3, "History"));
  doc.blocks.push_back(paragraph("Suite " + current.suite.name + " on " + current.context.machine_class + " in " +
                                 count(static_cast<int>(releases.size()) - 1, "earlier result", "earlier results") +
                                 ", ordered by version, then date, and this report's result last."));
  doc.blocks.push_back(table_block(t));
  doc.blocks.push_back(chart_block("History: P50 end-to-end latency per release.", line_chart(latency)));
  doc.blocks.push_back(chart_block("History: P50 tokens per second per release.", line_chart(throughput)));
}

void add_bench(Document& doc, const BenchResult& r, const ReportInputs& in, const std::string& id) {
  doc.blocks.push_back(heading(2, "Benchmark: suite " + r.suite.name + ", " + model_text(r.context)));
  doc.blocks.push_back(paragraph(r.suite.description + ". Result " + r.path + ", measured " + r.context.date +
                                 " at commit " + commit_text(r.context.git_commit, r.context.git_dirty) + "."));
  add_method(doc, r);
  add_latency(doc, r, id);
  if (r.configurations.size() > 1) add_ablation(doc, r, in.notes, id);
  add_operations(doc, r, id);
  add_roofline(doc, r, id);
  add_history(doc, r, in.history, id);
}

// "397 (99.25%)": cases and their share.
std::string cases_text(int part, double rate) { return std::to_string(part) + " (" + percent(rate) + ")"; }

std::string max_logit_error_text(const AccuracyFigures& f) {
  return f.compared_steps > 0 ? scientific(f.logit_max_abs_error) : "–";
}

std::vector<std::string> accuracy_row(const std::string& name, const AccuracyFigures& f) {
  const std::string none = "–";
  return {name,
          std::to_string(f.cases),
          cases_text(f.exact, f.exact_match_rate),
          cases_text(f.tie_aware, f.tie_aware_match_rate),
          std::to_string(f.ambiguous),
          percent(f.token_agreement),
          max_logit_error_text(f),
          f.compared_steps > 0 ? fixed(f.logit_cosine_min, 6) : none,
          f.compared_steps > 0 && f.gap_error_median && f.gap_error_max
              ? scientific(*f.gap_error_median) + " / " + scientific(*f.gap_error_max)
              : none,
          f.close_decisions ? std::to_string(*f.close_decisions) : none,
          f.tokenizer_checked > 0 ? percent(f.tokenizer_parity_rate) + " of " + std::to_string(f.tokenizer_checked) : none,
          f.answered > 0 ? percent(f.task_accuracy) + " (" + percent(f.reference_task_accuracy) + ")" : none,
          f.beam_cases > 0 ? percent(f.beam_match_rate) + " of " + std::to_string(f.beam_cases) : none};
}

std::vector<std::string> teacher_forced_row(const std::string& name, const AccuracyFigures& f) {
  const std::string none = "–";
  const bool kl = f.kld_steps > 0;
  return {name,
          std::to_string(f.teacher_forced_steps),
          fixed(100 * f.teacher_forced_top1_agreement, 3) + "%",
          std::to_string(f.teacher_forced_ambiguous_steps),
          kl ? scientific(f.kld_mean) : none,
          kl ? scientific(f.kld_p99) : none,
          kl ? scientific(f.kld_max) : none,
          kl ? scientific(f.delta_p_mean) + " / " + scientific(f.delta_p_p99) : none,
          f.answered > 0 ? percent(f.task_accuracy_ratio) : none};
}

void add_teacher_forced(Document& doc, const AccuracyResult& r) {
  doc.blocks.push_back(heading(3, "Teacher-forced"));
  doc.blocks.push_back(paragraph(
      "Every reference step again, the decoder fed the reference's own prefix, so one early flip does not hide "
      "the later steps. Top-1: steps where our choice is the reference's (at an ambiguous step, one of its tied "
      "ids). KL: the divergence of our distribution from the reference's over the reference's top ids plus one "
      "bucket for the rest of the vocabulary; |Δp|: how far our probability of the reference's chosen id is from "
      "its own (both need the reference's log-sum-exp). Task ratio: our task accuracy over the reference's."));
  Table t{{"Task", "Steps", "Top-1", "Ambiguous", "KL mean", "KL p99", "KL max", "|Δp| (mean / p99)", "Task ratio"},
          {false, true, true, true, true, true, true, true, true},
          {}};
  for (const auto& [task, figures] : r.per_task) t.rows.push_back(teacher_forced_row(task, figures));
  t.rows.push_back(teacher_forced_row("all", r.overall));
  doc.blocks.push_back(table_block(t));
}

void add_accuracy(Document& doc, const AccuracyResult& r) {
  doc.blocks.push_back(heading(2, "Accuracy: suite " + r.suite_name + ", " + model_text(r.context)));
  doc.blocks.push_back(paragraph(
      count(r.suite_cases, "case", "cases") + " of " + r.suite_path + " compared with " + r.reference +
      "; configuration " + r.configuration + " (switches: " + switches_text(r.switches) + "), " + r.precision + " weights, model " +
      r.context.model_name + " on " + count(r.context.threads, "thread", "threads") + " (from " + r.path + ", " +
      r.context.date + ", commit " + commit_text(r.context.git_commit, r.context.git_dirty) + ")."));
  const std::string close = r.close_gap ? "reference steps whose gap is under " + fixed(*r.close_gap, 2)
                                        : std::string("reference steps with a small gap (– : not in results written "
                                                      "before the gap error)");
  doc.blocks.push_back(paragraph(
      "Exact: the greedy output ids equal the reference's. Tie-aware also accepts a case whose first divergence "
      "falls where the reference's top two logits are within " + scientific(r.tie_margin) + " (ambiguous: any change "
      "of summation order may flip such a step). Token agreement: reference tokens matched before the first "
      "divergence. Max |Δlogit| and min cosine compare the reference's top-5 logits at every step up to the first "
      "divergence. Gap error: how far our logits move the reference's top-1/top-2 gap at those steps; close decisions: " +
      close + ", which a reduced precision may flip. "
      "Tokenizer parity: prompts whose ids re-encode to the reference's. Task accuracy: answers right "
      "against the ground truth, the reference's own in parentheses. Beam: beam-search outputs equal to the "
      "reference's."));
  Table t{{"Task", "Cases", "Exact", "Tie-aware", "Ambiguous", "Token agreement", "Max |Δlogit|", "Min cosine",
           "Gap error (median / max)", "Close decisions", "Tokenizer parity", "Task accuracy (reference)",
           "Beam match"},
          {false, true, true, true, true, true, true, true, true, true, true, true, true},
          {}};
  for (const auto& [task, figures] : r.per_task) t.rows.push_back(accuracy_row(task, figures));
  t.rows.push_back(accuracy_row("all", r.overall));
  doc.blocks.push_back(table_block(t));
  if (r.overall.teacher_forced_steps > 0) add_teacher_forced(doc, r);
  if (r.divergences.empty()) return;

  const size_t shown = std::min(r.divergences.size(), kDivergencesShown);
  doc.blocks.push_back(heading(3, "Diverged cases"));
  doc.blocks.push_back(paragraph(shown == r.divergences.size()
                                     ? "Every case whose output differs from the reference's."
                                     : "The first " + std::to_string(shown) + " of " +
                                           std::to_string(r.divergences.size()) + " cases whose output differs from "
                                           "the reference's; the result file lists them all."));
  Table d{{"Case", "Task", "First divergent step", "Reference margin", "Ambiguous"}, {false, false, true, true, false}, {}};
  for (size_t i = 0; i < shown; ++i) {
    const Divergence& v = r.divergences[i];
    d.rows.push_back({v.id, v.task, std::to_string(v.first_divergence), scientific(v.reference_margin),
                      v.ambiguous ? "yes" : "no"});
  }
  doc.blocks.push_back(table_block(d));
}

// A table keyed by suite, model and configuration, with two figures per machine class.
Table side_by_side_table(const std::vector<std::string>& classes, const std::string& first, const std::string& second) {
  Table t{{"Suite", "Model", "Configuration"}, {false, false, false}, {}};
  for (const std::string& c : classes) {
    t.header.push_back(c + " " + first);
    t.header.push_back(c + " " + second);
    t.numeric.insert(t.numeric.end(), {true, true});
  }
  return t;
}

// One row per suite, model, configuration and precision measured, with P50 and tokens/s of each class
// side by side ("–" where a class did not measure it).
void add_bench_side_by_side(Document& doc, const std::vector<BenchResult>& bench, const std::vector<std::string>& classes) {
  Table t = side_by_side_table(classes, "P50 ms", "tok/s");
  std::vector<std::vector<std::string>> keys;
  for (const BenchResult& r : bench)
    for (const BenchConfiguration& c : r.configurations) {
      const std::vector<std::string> key{r.suite.name, model_text(r.context), c.name};
      if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
      keys.push_back(key);
      std::vector<std::string> row = key;
      for (const std::string& machine : classes) {
        const BenchConfiguration* found = nullptr;
        for (const BenchResult& other : bench)
          if (other.context.machine_class == machine && other.suite.name == r.suite.name &&
              model_text(other.context) == key[1])
            for (const BenchConfiguration& oc : other.configurations)
              if (oc.name == c.name) found = &oc;
        row.push_back(found ? ms(found->end_to_end.p50) : "–");
        row.push_back(found ? fixed(found->tokens_per_second.p50, 1) : "–");
      }
      t.rows.push_back(row);
    }
  doc.blocks.push_back(paragraph("The headline rows of each machine class (P50 end-to-end latency and tokens per "
                                 "second); each class's own sections follow."));
  doc.blocks.push_back(table_block(t));
}

// One row per accuracy suite, model and configuration, with the tie-aware matches and the largest logit error
// of each class side by side ("–" where a class did not measure it).
void add_accuracy_side_by_side(Document& doc, const std::vector<AccuracyResult>& accuracy,
                               const std::vector<std::string>& classes) {
  Table t = side_by_side_table(classes, "tie-aware", "max |Δlogit|");
  std::vector<std::vector<std::string>> keys;
  for (const AccuracyResult& r : accuracy) {
    const std::vector<std::string> key{r.suite_name, model_text(r.context), r.configuration};
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
    keys.push_back(key);
    std::vector<std::string> row = key;
    for (const std::string& machine : classes) {
      const AccuracyResult* found = nullptr;
      for (const AccuracyResult& other : accuracy)
        if (other.context.machine_class == machine && other.suite_name == r.suite_name &&
            model_text(other.context) == key[1] && other.configuration == r.configuration)
          found = &other;
      row.push_back(found ? cases_text(found->overall.tie_aware, found->overall.tie_aware_match_rate) : "–");
      row.push_back(found ? max_logit_error_text(found->overall) : "–");
    }
    t.rows.push_back(row);
  }
  doc.blocks.push_back(paragraph("The accuracy of each machine class against the same references: tie-aware matches "
                                 "of the greedy outputs and the largest top-5 logit error."));
  doc.blocks.push_back(table_block(t));
}

}  // namespace

Document build_report(const ReportInputs& inputs, const std::string& title) {
  Document doc;
  doc.title = title;
  const std::vector<std::string> classes = machine_classes(inputs);
  add_header(doc, inputs, classes);
  if (classes.size() > 1) {
    doc.blocks.push_back(heading(2, "Machine classes side by side"));
    if (!inputs.bench.empty()) add_bench_side_by_side(doc, inputs.bench, classes);
    if (!inputs.accuracy.empty()) add_accuracy_side_by_side(doc, inputs.accuracy, classes);
  }
  int id = 0;
  for (const std::string& machine : classes) {
    if (classes.size() > 1) doc.blocks.push_back(heading(2, "Machine class " + machine));
    for (const BenchResult& r : inputs.bench)
      if (r.context.machine_class == machine) add_bench(doc, r, inputs, "bench" + std::to_string(++id));
    for (const AccuracyResult& r : inputs.accuracy)
      if (r.context.machine_class == machine) add_accuracy(doc, r);
  }
  return doc;
}

}  // namespace t5bench::report
