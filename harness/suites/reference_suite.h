#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace t5bench {

// A HuggingFace reference suite (the ../shared/reference format): prompts with transformers' greedy
// output, the raw logits of the top ids at every step (5 in the shared suites, `--top-k` in those of
// scripts/make_reference.py), and for some cases a beam-4 output.
struct ReferenceStep {
  std::vector<int32_t> top_ids;     // highest logit first
  std::vector<float> top_logits;
  std::optional<double> logsumexp;  // over the whole vocabulary, where the suite has it: exact log-probabilities
};

struct ReferenceGreedy {
  std::vector<int32_t> input_ids;
  std::vector<int32_t> output_ids;  // without the start id; ends with EOS (1) when it was produced
  std::string output_text;
  std::vector<ReferenceStep> steps;
};

struct ReferenceBeam {
  std::vector<int32_t> input_ids;
  std::vector<int32_t> output_ids;
  std::string output_text;
  double sequence_score = 0;
};

struct ReferenceCase {
  std::string id;
  std::string task;
  std::string prompt;
  std::string answer;
  bool input_ids_are_canonical = false;  // feed input_ids, do not re-encode the prompt
  ReferenceGreedy greedy;
  std::optional<ReferenceBeam> beam4;
};

struct BeamSettings {
  int num_beams = 4;
  double length_penalty = 1.0;
  std::string early_stopping = "false";  // "false", "true" or "never"
  int max_new_tokens = 32;
};

struct ReferenceSuite {
  std::string path;
  std::string name;
  std::string model;
  std::string reference;
  int max_new_tokens = 48;
  bool ignore_eos = false;  // min_new_tokens == max_new_tokens: EOS was suppressed
  BeamSettings beam;
  std::vector<ReferenceCase> cases;
};

// Reads and checks a suite; every malformed part is reported as "<path>: case <id>: <problem>".
ReferenceSuite load_reference_suite(const std::string& path);
// The same for a suite's JSON text: `source` stands for the path in errors and in ReferenceSuite::path.
ReferenceSuite parse_reference_suite(std::string_view text, const std::string& source);

}  // namespace t5bench
