#include "bench/bench_suite.h"

#include "core/error.h"
#include "io/json_file.h"
#include "suites/reference_suite.h"

namespace t5bench {

namespace {

std::string directory_of(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

BenchSuite suite_from_json(const t5::json& root, const std::string& source) {
  if (!root.is_object()) t5::fail(source, "a bench suite is a JSON object");
  BenchSuite s;
  s.path = source;
  s.name = t5::require_string(root, "name", source);
  if (s.name.empty()) t5::fail(source, "field 'name' is empty");
  s.description = t5::optional_string(root, "description", "", source);
  s.input_tokens = static_cast<int>(t5::require_int_in(root, "input_tokens", 2, 1 << 16, source));
  s.output_tokens = static_cast<int>(t5::require_int_in(root, "output_tokens", 1, 1 << 16, source));
  s.batch = static_cast<int>(t5::optional_int_in(root, "batch", 1, 1, 4096, source));
  s.requests = static_cast<int>(t5::optional_int_in(root, "requests", 1, 1, 1 << 20, source));
  s.warmup = static_cast<int>(t5::optional_int_in(root, "warmup", 1, 0, 1000, source));
  s.runs = static_cast<int>(t5::optional_int_in(root, "runs", 10, 1, 100000, source));
  const t5::json& prompts = t5::require_field(root, "prompts", source);
  s.prompt_kind = t5::require_string(prompts, "kind", source + ": prompts");
  if (s.prompt_kind == "random") {
    s.prompt_seed = static_cast<uint64_t>(t5::optional_int(prompts, "seed", 1, source + ": prompts"));
  } else if (s.prompt_kind == "reference") {
    const std::string path = t5::require_string(prompts, "path", source + ": prompts");
    s.reference_path = !path.empty() && path[0] == '/' ? path : directory_of(source) + "/" + path;
  } else {
    t5::fail(source, "prompts.kind must be \"random\" or \"reference\", got \"" + s.prompt_kind + "\"");
  }
  return s;
}

}  // namespace

BenchSuite parse_bench_suite(std::string_view text, const std::string& source) {
  return suite_from_json(t5::parse_json(text, source), source);
}

BenchSuite load_bench_suite(const std::string& path) { return suite_from_json(t5::read_json_file(path), path); }

std::vector<std::vector<int32_t>> bench_prompts(const BenchSuite& suite, const t5::T5Config& config, int count) {
  std::vector<std::vector<int32_t>> prompts;
  if (suite.input_tokens > config.max_input_tokens)
    t5::fail(suite.path, std::to_string(suite.input_tokens) + " input tokens exceed the model's limit of " +
                             std::to_string(config.max_input_tokens));
  if (suite.prompt_kind == "reference") {
    const ReferenceSuite reference = load_reference_suite(suite.reference_path);
    for (int i = 0; i < count; ++i) {
      const std::vector<int32_t>& ids = reference.cases[static_cast<size_t>(i) % reference.cases.size()].greedy.input_ids;
      if (static_cast<int>(ids.size()) != suite.input_tokens)
        t5::fail(suite.path, "reference case has " + std::to_string(ids.size()) + " input ids, the suite says " +
                                 std::to_string(suite.input_tokens));
      prompts.push_back(ids);
    }
    return prompts;
  }
  // Ids past the special tokens (pad 0, EOS 1, unknown 2) and below the padding rows of FLAN-T5's vocabulary.
  const uint32_t lowest = 3, highest = static_cast<uint32_t>(std::min(config.vocab_size, 32000));
  uint64_t state = suite.prompt_seed * 0x9e3779b97f4a7c15ull + 1;
  for (int i = 0; i < count; ++i) {
    std::vector<int32_t> ids(static_cast<size_t>(suite.input_tokens));
    for (int k = 0; k + 1 < suite.input_tokens; ++k) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;  // 64-bit LCG: reproducible anywhere
      ids[static_cast<size_t>(k)] = static_cast<int32_t>(lowest + (state >> 33) % (highest - lowest));
    }
    ids.back() = config.eos_token_id;
    prompts.push_back(std::move(ids));
  }
  return prompts;
}

}  // namespace t5bench
