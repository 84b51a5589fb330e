#include "suites/reference_suite.h"

#include "core/error.h"
#include "io/json_file.h"

namespace t5bench {

namespace {

using t5::json;

std::vector<int32_t> id_list(const json& object, const char* name, const std::string& where) {
  const json& value = t5::require_field(object, name, where);
  if (!value.is_array()) t5::fail(where, std::string("field '") + name + "' must be a list of token ids");
  std::vector<int32_t> ids;
  ids.reserve(value.size());
  for (const json& id : value) {
    if (!id.is_number_integer() || id.get<int64_t>() < 0 || id.get<int64_t>() > INT32_MAX)
      t5::fail(where, std::string("field '") + name + "' holds " + id.dump() + ", not a token id");
    ids.push_back(static_cast<int32_t>(id.get<int64_t>()));
  }
  return ids;
}

ReferenceGreedy parse_greedy(const json& object, const std::string& where) {
  if (!object.is_object()) t5::fail(where, "'greedy' must be an object");
  ReferenceGreedy g;
  g.input_ids = id_list(object, "input_ids", where);
  g.output_ids = id_list(object, "output_ids", where);
  g.output_text = t5::optional_string(object, "output_text", "", where);
  if (g.input_ids.empty()) t5::fail(where, "'input_ids' is empty");
  const json& steps = t5::require_field(object, "steps", where);
  if (!steps.is_array()) t5::fail(where, "'steps' must be a list");
  for (const json& step : steps) {
    ReferenceStep s;
    s.top_ids = id_list(step, "top_ids", where);
    const json& logits = t5::require_field(step, "top_logits", where);
    if (!logits.is_array()) t5::fail(where, "'top_logits' must be a list of numbers");
    for (const json& v : logits) {
      if (!v.is_number()) t5::fail(where, "'top_logits' holds " + v.dump() + ", not a number");
      s.top_logits.push_back(v.get<float>());
    }
    if (s.top_ids.size() != s.top_logits.size() || s.top_ids.size() < 2)
      t5::fail(where, "a step needs as many top_ids as top_logits, at least two");
    if (step.contains("logsumexp")) {
      s.logsumexp = t5::require_number(step, "logsumexp", where);
      if (*s.logsumexp < s.top_logits[0])
        t5::fail(where, "a step's logsumexp " + step["logsumexp"].dump() + " is below its top logit");
    }
    g.steps.push_back(std::move(s));
  }
  if (g.steps.size() != g.output_ids.size())
    t5::fail(where, std::to_string(g.steps.size()) + " steps for " + std::to_string(g.output_ids.size()) +
                        " output ids");
  return g;
}

// `path` names the suite in errors and in ReferenceSuite::path: the file, or the source of parsed text.
ReferenceSuite parse_root(const json& root, const std::string& path) {
  if (!root.is_object()) t5::fail(path, "a reference suite is a JSON object");
  ReferenceSuite suite;
  suite.path = path;
  suite.name = t5::require_string(root, "suite", path);
  suite.model = t5::optional_string(root, "model", "", path);
  suite.reference = t5::optional_string(root, "reference", "", path);
  const json& generation = t5::require_field(root, "generation", path);
  suite.max_new_tokens = static_cast<int>(t5::require_int_in(generation, "max_new_tokens", 1, 1 << 16, path + ": generation"));
  suite.ignore_eos = t5::optional_int_in(generation, "min_new_tokens", 0, 0, 1 << 16, path + ": generation") >= suite.max_new_tokens;
  if (generation.contains("beam")) {
    const json& beam = generation["beam"];
    const std::string where = path + ": generation.beam";
    suite.beam.num_beams = static_cast<int>(t5::require_int_in(beam, "num_beams", 1, 64, where));
    suite.beam.length_penalty = t5::optional_number(beam, "length_penalty", 1.0, where);
    suite.beam.max_new_tokens = static_cast<int>(t5::require_int_in(beam, "max_new_tokens", 1, 1 << 16, where));
    const json& early = t5::require_field(beam, "early_stopping", where);
    if (early.is_boolean()) suite.beam.early_stopping = early.get<bool>() ? "true" : "false";
    else if (early == "never") suite.beam.early_stopping = "never";
    else t5::fail(where, "early_stopping must be true, false or \"never\"");
  }
  const json& cases = t5::require_field(root, "cases", path);
  if (!cases.is_array() || cases.empty()) t5::fail(path, "'cases' must be a non-empty list");
  for (size_t i = 0; i < cases.size(); ++i) {
    const json& c = cases[i];
    const std::string fallback = "case " + std::to_string(i);
    const std::string where = path + ": " + (c.is_object() && c.contains("id") && c["id"].is_string()
                                                 ? "case " + c["id"].get<std::string>()
                                                 : fallback);
    if (!c.is_object()) t5::fail(where, "a case is a JSON object");
    ReferenceCase rc;
    rc.id = t5::require_string(c, "id", where);
    rc.task = t5::optional_string(c, "task", "", where);
    rc.prompt = t5::require_string(c, "prompt", where);
    rc.answer = t5::optional_string(c, "answer", "", where);
    rc.input_ids_are_canonical = t5::optional_bool(c, "input_ids_are_canonical", false, where);
    rc.greedy = parse_greedy(t5::require_field(c, "greedy", where), where);
    if (c.contains("beam4")) {
      const json& b = c["beam4"];
      ReferenceBeam beam;
      beam.input_ids = id_list(b, "input_ids", where);
      beam.output_ids = id_list(b, "output_ids", where);
      beam.output_text = t5::optional_string(b, "output_text", "", where);
      beam.sequence_score = t5::require_number(b, "sequence_score", where);
      rc.beam4 = std::move(beam);
    }
    suite.cases.push_back(std::move(rc));
  }
  return suite;
}

}  // namespace

ReferenceSuite parse_reference_suite(std::string_view text, const std::string& source) {
  return parse_root(t5::parse_json(text, source), source);
}

ReferenceSuite load_reference_suite(const std::string& path) { return parse_root(t5::read_json_file(path), path); }

}  // namespace t5bench
