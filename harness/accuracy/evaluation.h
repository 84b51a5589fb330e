#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "accuracy/compare.h"
#include "accuracy/teacher_forced.h"
#include "io/json_file.h"
#include "suites/reference_suite.h"
#include "t5.h"

namespace t5bench {

// What one reference case showed.
struct CaseOutcome {
  std::string id;
  std::string task;
  std::vector<int32_t> output_ids;
  std::string output_text;
  GreedyComparison greedy;
  int reference_tokens = 0;
  int compared_steps = 0;       // steps whose context equals the reference's (up to the first divergence)
  double max_logit_error = 0;   // |ours - reference| at the reference's top-5 ids, worst over compared steps
  double sum_cosine = 0;        // cosine of (ours, reference) top-5 logit vectors, summed over compared steps
  double min_cosine = 1;
  std::vector<double> gap_errors;  // per compared step: |ours - reference| of the reference's top-1 minus top-2 logit
  int close_decisions = 0;         // reference steps whose top-1/top-2 gap is under kCloseGap
  std::vector<TeacherForcedStep> teacher_forced;  // every reference step, fed the reference's prefix
  bool tokenizer_checked = false;  // prompt re-encoded (not for canonical-id cases)
  bool tokenizer_equal = false;
  bool answered = false;           // the task has a ground-truth answer
  bool task_correct = false;
  bool reference_task_correct = false;
  bool beam_checked = false;
  bool beam_equal = false;
  double beam_score_error = 0;
};

// Rates and worst cases over a set of outcomes (a task, or the whole suite).
struct AccuracyAggregate {
  int cases = 0, exact = 0, tie_aware = 0, ambiguous = 0;
  long matched_tokens = 0, reference_tokens = 0;
  int diverged = 0;
  long divergence_steps = 0;
  int compared_steps = 0;
  double max_logit_error = 0, sum_cosine = 0, min_cosine = 1;
  std::vector<double> gap_errors;
  int close_decisions = 0;
  int tokenizer_checked = 0, tokenizer_equal = 0;
  int answered = 0, task_correct = 0, reference_task_correct = 0;
  int beam_checked = 0, beam_equal = 0;
  double beam_max_score_error = 0;
  int teacher_forced_steps = 0, teacher_forced_agree = 0, teacher_forced_agree_strictly = 0, teacher_forced_ambiguous = 0;
  std::vector<double> kl, delta_p;  // per teacher-forced step with a reference log-sum-exp

  void add(const CaseOutcome& c);
  t5::json to_json() const;
};

struct AccuracyOptions {
  bool check_beam = true;  // run beam search on cases with a beam4 reference
};

// Runs every case of the suite on the engine (greedy, the suite's max_new_tokens and EOS rule; beam
// search with the suite's settings where a beam4 reference exists) and compares with the reference; then
// compares every step teacher-forced on the reference's output (a case whose output equals the reference's
// already saw its prefixes: only diverged cases are decoded again).
std::vector<CaseOutcome> evaluate_suite(t5::Engine& engine, const t5::Model& model, const ReferenceSuite& suite,
                                        const AccuracyOptions& options);

// Overall and per-task aggregates, in task order of first appearance.
struct AccuracyReport {
  AccuracyAggregate overall;
  std::vector<std::pair<std::string, AccuracyAggregate>> per_task;
};
AccuracyReport aggregate(const std::vector<CaseOutcome>& outcomes);

}  // namespace t5bench
