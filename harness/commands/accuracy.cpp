// t5bench accuracy: a reference suite run through the model and compared with transformers' outputs.

#include <cstdio>

#include "accuracy/evaluation.h"
#include "bench/sysinfo.h"
#include "cli/args.h"
#include "cli/model_args.h"
#include "commands/commands.h"
#include "io/atomic_file.h"

namespace t5bench {

namespace {

void print_row(const std::string& name, const t5::json& a) {
  char beam[16] = "-";
  if (a["beam_cases"].get<int>() > 0) std::snprintf(beam, sizeof beam, "%.1f%%", 100 * a["beam_match_rate"].get<double>());
  char task[32] = "-";
  if (a["answered"].get<int>() > 0)
    std::snprintf(task, sizeof task, "%.1f%% (%.1f%%)", 100 * a["task_accuracy"].get<double>(),
                  100 * a["reference_task_accuracy"].get<double>());
  std::printf("%-14s %6d %8.2f%% %9.2f%% %6d %8.2f%% %10.2g %9.6f %9.2g %6d %9.1f%% %15s %7s\n", name.c_str(),
              a["cases"].get<int>(), 100 * a["exact_match_rate"].get<double>(),
              100 * a["tie_aware_match_rate"].get<double>(), a["ambiguous"].get<int>(),
              100 * a["token_agreement"].get<double>(), a["logit_max_abs_error"].get<double>(),
              a["logit_cosine_min"].get<double>(), a["gap_error_median"].get<double>(),
              a["close_decisions"].get<int>(), 100 * a["tokenizer_parity_rate"].get<double>(), task, beam);
}

// Teacher-forced measures: each step fed the reference's own prefix.
void print_teacher_forced_row(const std::string& name, const t5::json& a) {
  char kl[64], delta_p[40];
  std::snprintf(kl, sizeof kl, "%9s %9s %9s", "-", "-", "-");
  std::snprintf(delta_p, sizeof delta_p, "%9s %9s", "-", "-");
  if (a.contains("kld_mean")) {
    std::snprintf(kl, sizeof kl, "%9.2e %9.2e %9.2e", a["kld_mean"].get<double>(), a["kld_p99"].get<double>(),
                  a["kld_max"].get<double>());
    std::snprintf(delta_p, sizeof delta_p, "%9.2e %9.2e", a["delta_p_mean"].get<double>(), a["delta_p_p99"].get<double>());
  }
  std::printf("%-14s %7d %9.3f%% %9.3f%% %6d %29s %19s %9.2f%%\n", name.c_str(), a["teacher_forced_steps"].get<int>(),
              100 * a["teacher_forced_top1_agreement"].get<double>(), 100 * a["teacher_forced_top1_strict"].get<double>(),
              a["teacher_forced_ambiguous_steps"].get<int>(), kl, delta_p, 100 * a["task_accuracy_ratio"].get<double>());
}

}  // namespace

int run_accuracy(const std::vector<std::string>& argv) {
  Args::Spec spec{{"suite", "config", "out"}, {}, {"no-beam"}};
  add_model_options(spec);
  Args args("accuracy", argv, spec);
  if (!args.has("model")) throw UsageError("accuracy needs --model DIR (the references come from a trained model)");
  const std::string config_name = args.value("config").value_or("optimized");
  const t5::Switches switches = parse_configuration(config_name);
  const ReferenceSuite suite = load_reference_suite(args.required("suite"));
  std::unique_ptr<t5::Model> model = load_model(args);
  t5::Engine engine(*model, thread_count(args));
  engine.set_switches(switches);

  AccuracyOptions options;
  options.check_beam = !args.flag("no-beam");
  const std::vector<CaseOutcome> outcomes = evaluate_suite(engine, *model, suite, options);
  const AccuracyReport report = aggregate(outcomes);

  std::printf("accuracy: suite %s (%zu cases, %s) on %s, %s weights, configuration %s\n", suite.name.c_str(),
              suite.cases.size(), suite.reference.c_str(), model->name().c_str(),
              weight_type_name(model->weight_type()), config_name.c_str());
  std::printf("%-14s %6s %9s %10s %6s %9s %10s %9s %9s %6s %10s %15s %7s\n", "task", "cases", "exact",
              "tie-aware", "ambig", "tokens", "max|dlog|", "min cos", "gap err", "close", "tokenizer",
              "task acc (ref)", "beam");
  for (const auto& [task, a] : report.per_task) print_row(task, a.to_json());
  print_row("all", report.overall.to_json());
  std::printf("teacher-forced (every step fed the reference's prefix; KL and dp need the reference's log-sum-exp):\n");
  std::printf("%-14s %7s %10s %10s %6s %9s %9s %9s %9s %9s %10s\n", "task", "steps", "top-1", "strict", "ambig",
              "KL mean", "KL p99", "KL max", "|dp| mean", "|dp| p99", "task ratio");
  for (const auto& [task, a] : report.per_task) print_teacher_forced_row(task, a.to_json());
  print_teacher_forced_row("all", report.overall.to_json());

  if (auto out = args.value("out")) {
    t5::json per_task = t5::json::object();
    for (const auto& [task, a] : report.per_task) per_task[task] = a.to_json();
    t5::json divergences = t5::json::array();
    for (const CaseOutcome& c : outcomes)
      if (!c.greedy.exact)
        divergences.push_back({{"id", c.id},
                               {"task", c.task},
                               {"first_divergence", c.greedy.first_divergence},
                               {"reference_margin", c.greedy.divergence_margin},
                               {"ambiguous", c.greedy.ambiguous},
                               {"output_ids", c.output_ids}});
    t5::json context = machine_context(join_command_line("accuracy", argv));
    context["t5bench"]["threads"] = engine.threads();
    context["t5bench"]["model"] = model_description(*model);
    const t5::json result = {
        {"context", context},
        {"accuracy",
         {{"suite", {{"name", suite.name}, {"path", suite.path}, {"reference", suite.reference}, {"cases", suite.cases.size()}}},
          {"configuration", config_name},
          {"switches", switches.enabled_list()},
          {"precision", weight_type_name(model->weight_type())},
          {"tie_margin", kTieMargin},
          {"close_gap", kCloseGap},
          {"overall", report.overall.to_json()},
          {"per_task", per_task},
          {"divergences", divergences}}},
    };
    write_file_atomically(*out, result.dump(2) + "\n");
    std::printf("wrote %s\n", out->c_str());
  }
  return 0;
}

}  // namespace t5bench
