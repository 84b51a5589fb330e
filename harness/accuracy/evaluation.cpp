#include "accuracy/evaluation.h"

#include <algorithm>
#include <cmath>

#include "cli/interrupt.h"
#include "stats/statistics.h"

namespace t5bench {

namespace {

std::string trim(const std::string& s) {
  const size_t begin = s.find_first_not_of(" \t\n");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t\n") - begin + 1);
}

double rate(long part, long whole) { return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0; }

// The free-running logit measures (max error, cosine) keep to the top 5 ids, the shared suites' k, so
// they mean the same on suites that store more.
constexpr size_t kComparedTopIds = 5;

double mean(const std::vector<double>& values) {
  double sum = 0;
  for (double v : values) sum += v;
  return values.empty() ? 0 : sum / static_cast<double>(values.size());
}

}  // namespace

void AccuracyAggregate::add(const CaseOutcome& c) {
  ++cases;
  exact += c.greedy.exact;
  tie_aware += c.greedy.tie_aware_match();
  ambiguous += c.greedy.ambiguous;
  matched_tokens += c.greedy.exact ? c.reference_tokens : c.greedy.matching_tokens;
  reference_tokens += c.reference_tokens;
  if (!c.greedy.exact) {
    ++diverged;
    divergence_steps += c.greedy.first_divergence;
  }
  compared_steps += c.compared_steps;
  max_logit_error = std::max(max_logit_error, c.max_logit_error);
  sum_cosine += c.sum_cosine;
  if (c.compared_steps > 0) min_cosine = std::min(min_cosine, c.min_cosine);
  gap_errors.insert(gap_errors.end(), c.gap_errors.begin(), c.gap_errors.end());
  close_decisions += c.close_decisions;
  tokenizer_checked += c.tokenizer_checked;
  tokenizer_equal += c.tokenizer_equal;
  answered += c.answered;
  task_correct += c.answered && c.task_correct;
  reference_task_correct += c.answered && c.reference_task_correct;
  beam_checked += c.beam_checked;
  beam_equal += c.beam_equal;
  if (c.beam_checked && c.beam_equal) beam_max_score_error = std::max(beam_max_score_error, c.beam_score_error);
  for (const TeacherForcedStep& t : c.teacher_forced) {
    ++teacher_forced_steps;
    teacher_forced_agree += t.agrees;
    teacher_forced_agree_strictly += t.agrees_strictly;
    teacher_forced_ambiguous += t.ambiguous;
    if (t.kl) kl.push_back(*t.kl);
    if (t.delta_p) delta_p.push_back(*t.delta_p);
  }
}

t5::json AccuracyAggregate::to_json() const {
  t5::json j = {
      {"cases", cases},
      {"exact", exact},
      {"exact_match_rate", rate(exact, cases)},
      {"tie_aware", tie_aware},
      {"tie_aware_match_rate", rate(tie_aware, cases)},
      {"ambiguous", ambiguous},
      {"token_agreement", rate(matched_tokens, reference_tokens)},
      {"diverged", diverged},
      {"mean_first_divergence_step", diverged > 0 ? static_cast<double>(divergence_steps) / diverged : 0.0},
      {"compared_steps", compared_steps},
      {"logit_max_abs_error", max_logit_error},
      {"logit_cosine_mean", compared_steps > 0 ? sum_cosine / compared_steps : 1.0},
      {"logit_cosine_min", min_cosine},
      {"gap_error_median", gap_errors.empty() ? 0.0 : percentile(gap_errors, 0.5)},
      {"gap_error_p90", gap_errors.empty() ? 0.0 : percentile(gap_errors, 0.9)},
      {"gap_error_max", gap_errors.empty() ? 0.0 : *std::max_element(gap_errors.begin(), gap_errors.end())},
      {"close_decisions", close_decisions},
      {"tokenizer_checked", tokenizer_checked},
      {"tokenizer_parity_rate", tokenizer_checked > 0 ? rate(tokenizer_equal, tokenizer_checked) : 1.0},
      {"answered", answered},
      {"task_accuracy", rate(task_correct, answered)},
      {"reference_task_accuracy", rate(reference_task_correct, answered)},
      {"beam_cases", beam_checked},
      // Nothing to lose where the reference answered nothing right.
      {"task_accuracy_ratio", reference_task_correct > 0 ? rate(task_correct, reference_task_correct) : 1.0},
      {"teacher_forced_steps", teacher_forced_steps},
      {"teacher_forced_ambiguous_steps", teacher_forced_ambiguous},
      {"teacher_forced_top1_agreement", teacher_forced_steps > 0 ? rate(teacher_forced_agree, teacher_forced_steps) : 1.0},
      {"teacher_forced_top1_strict", teacher_forced_steps > 0 ? rate(teacher_forced_agree_strictly, teacher_forced_steps) : 1.0},
  };
  if (!kl.empty()) {  // only suites with the reference's log-sum-exp
    j["kld_steps"] = kl.size();
    j["kld_mean"] = mean(kl);
    j["kld_p99"] = percentile(kl, 0.99);
    j["kld_max"] = *std::max_element(kl.begin(), kl.end());
    j["delta_p_mean"] = mean(delta_p);
    j["delta_p_p99"] = delta_p.empty() ? 0.0 : percentile(delta_p, 0.99);
  }
  if (beam_checked > 0) {
    j["beam_equal"] = beam_equal;
    j["beam_match_rate"] = rate(beam_equal, beam_checked);
    j["beam_max_score_error"] = beam_max_score_error;
  }
  return j;
}

std::vector<CaseOutcome> evaluate_suite(t5::Engine& engine, const t5::Model& model, const ReferenceSuite& suite,
                                        const AccuracyOptions& options) {
  const t5::Tokenizer* tokenizer = model.tokenizer();
  t5::GenerateOptions greedy;
  greedy.max_new_tokens = suite.max_new_tokens;
  greedy.ignore_eos = suite.ignore_eos;
  const int32_t excluded_id = suite.ignore_eos ? model.config().eos_token_id : -1;
  std::vector<CaseOutcome> outcomes;
  for (const ReferenceCase& rc : suite.cases) {
    throw_if_interrupted();
    const std::string source = suite.path + ": case " + rc.id;
    t5::validate_input_ids(rc.greedy.input_ids, model.config(), source);
    CaseOutcome c;
    c.id = rc.id;
    c.task = rc.task;
    c.reference_tokens = static_cast<int>(rc.greedy.output_ids.size());
    if (tokenizer && !rc.input_ids_are_canonical) {
      c.tokenizer_checked = true;
      c.tokenizer_equal = tokenizer->encode(rc.prompt, source) == rc.greedy.input_ids;
    }
    std::vector<StepLogits> mine;  // ours at each reference step
    const t5::StepObserver observe = [&](int step, const float* logits, int vocab) {
      if (step < static_cast<int>(rc.greedy.steps.size()))
        mine.push_back(summarize_step(logits, vocab, rc.greedy.steps[static_cast<size_t>(step)], excluded_id));
    };
    const t5::Generation g = engine.generate(rc.greedy.input_ids, greedy, observe);
    c.output_ids = g.output_ids;
    c.output_text = tokenizer ? tokenizer->decode(g.output_ids) : "";
    c.greedy = compare_greedy(rc.greedy, g.output_ids);
    // Up to and including the first divergence the context is the reference's, so logits are comparable.
    const int last = c.greedy.exact ? static_cast<int>(mine.size()) - 1 : c.greedy.first_divergence;
    for (int s = 0; s <= last && s < static_cast<int>(mine.size()); ++s) {
      const std::vector<float>& ours = mine[static_cast<size_t>(s)].at_top_ids;
      const std::vector<float>& theirs = rc.greedy.steps[static_cast<size_t>(s)].top_logits;
      double dot = 0, ours_sq = 0, theirs_sq = 0;
      for (size_t k = 0; k < std::min(ours.size(), kComparedTopIds); ++k) {
        c.max_logit_error = std::max(c.max_logit_error, static_cast<double>(std::fabs(ours[k] - theirs[k])));
        dot += static_cast<double>(ours[k]) * theirs[k];
        ours_sq += static_cast<double>(ours[k]) * ours[k];
        theirs_sq += static_cast<double>(theirs[k]) * theirs[k];
      }
      const double cosine = ours_sq > 0 && theirs_sq > 0 ? dot / std::sqrt(ours_sq * theirs_sq) : 1.0;
      c.sum_cosine += cosine;
      c.min_cosine = std::min(c.min_cosine, cosine);
      c.gap_errors.push_back(std::fabs((ours[0] - ours[1]) - (theirs[0] - theirs[1])));
      ++c.compared_steps;
    }
    if (!c.greedy.exact) {  // after the divergence our prefix was our own: decode the reference's instead
      mine.clear();
      engine.teacher_force(rc.greedy.input_ids, rc.greedy.output_ids, observe);
    }
    for (size_t s = 0; s < rc.greedy.steps.size(); ++s)
      c.teacher_forced.push_back(compare_step(rc.greedy.steps[s], rc.greedy.output_ids[s], mine[s], excluded_id));
    for (const ReferenceStep& step : rc.greedy.steps)
      c.close_decisions += step.top_logits[0] - step.top_logits[1] < kCloseGap;
    c.answered = !rc.answer.empty();
    c.task_correct = c.answered && trim(c.output_text) == trim(rc.answer);
    c.reference_task_correct = c.answered && trim(rc.greedy.output_text) == trim(rc.answer);
    if (options.check_beam && rc.beam4) {
      t5::BeamOptions beam;
      beam.num_beams = suite.beam.num_beams;
      beam.length_penalty = suite.beam.length_penalty;
      beam.max_new_tokens = suite.beam.max_new_tokens;
      beam.early_stopping = suite.beam.early_stopping == "true"    ? t5::EarlyStopping::True
                            : suite.beam.early_stopping == "never" ? t5::EarlyStopping::Never
                                                                   : t5::EarlyStopping::False;
      const t5::Generation b = engine.generate_beam(rc.beam4->input_ids, beam);
      c.beam_checked = true;
      c.beam_equal = b.output_ids == rc.beam4->output_ids;
      c.beam_score_error = std::fabs(b.sequence_score - rc.beam4->sequence_score);
    }
    outcomes.push_back(std::move(c));
  }
  return outcomes;
}

AccuracyReport aggregate(const std::vector<CaseOutcome>& outcomes) {
  AccuracyReport report;
  for (const CaseOutcome& c : outcomes) {
    report.overall.add(c);
    auto it = std::find_if(report.per_task.begin(), report.per_task.end(),
                           [&](const auto& entry) { return entry.first == c.task; });
    if (it == report.per_task.end()) {
      report.per_task.emplace_back(c.task, AccuracyAggregate{});
      it = report.per_task.end() - 1;
    }
    it->second.add(c);
  }
  return report;
}

}  // namespace t5bench
