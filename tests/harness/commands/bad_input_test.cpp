// The CLI contract for bad input, one case per input: the real build/t5bench refuses it with an exit status
// (1 bad input; gate 2, its "could not judge"), never by a signal, with exactly one line on stderr naming the
// file and the problem, nothing on stdout and nothing written. README.md's "input tried -> what the tool
// says" table lists these cases; each records its command and stderr line as test properties
// (--gtest_output=json) so that the table can be regenerated.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "harness/report/report_fixtures.h"  // read_report_fixture, write_json
#include "io/json_file.h"
#include "io/safetensors.h"
#include "support/shared_data.h"

namespace {

namespace fs = std::filesystem;
using t5test::TempDir;
using t5test::write_file;

struct BadInputCase {
  std::string name;                           // the test's name
  std::function<void(const TempDir&)> setup;  // writes the bad input (and what else the command needs) into dir
  std::string args;                           // after t5bench; {dir} is the temp dir, {model} the shared model
  int exit_code;
  std::string message;  // the whole stderr line; {dir} as in args, {N} a number that depends on the machine
  bool needs_shared_data = false;
};

// --- Inputs -------------------------------------------------------------------------------------------

// A safetensors image as the format lays it out: 8-byte little-endian header length, header, data.
std::string le64(uint64_t n) {
  std::string bytes(8, '\0');
  for (int i = 0; i < 8; ++i) bytes[static_cast<size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xff);
  return bytes;
}
std::string safetensors(const std::string& header, const std::string& data) {
  return le64(header.size()) + header + data;
}

// dir/m/config.json: the tiny config of tests/support, edited.
void write_model_config(const TempDir& dir, const std::function<void(t5::json&)>& edit = {}) {
  const std::string tiny = t5test::write_tiny_config(dir);
  t5::json config = t5::read_json_file(tiny);
  fs::remove(tiny);
  if (edit) edit(config);
  fs::create_directories(dir.file("m"));
  write_file(dir.file("m/config.json"), config.dump());
}

// dir/m: the tiny config and `image` as model.safetensors.
std::function<void(const TempDir&)> tiny_model_with_image(const std::string& image) {
  return [image](const TempDir& dir) {
    write_model_config(dir);
    write_file(dir.file("m/model.safetensors"), image);
  };
}

// dir/m: the tiny config and fp32 `tensors` as model.safetensors.
std::function<void(const TempDir&)> tiny_model_with_tensors(const std::map<std::string, t5::F32Tensor>& tensors) {
  return [tensors](const TempDir& dir) {
    write_model_config(dir);
    t5::write_safetensors_f32(dir.file("m/model.safetensors"), tensors);
  };
}

std::function<void(const TempDir&)> tiny_config_with(const std::function<void(t5::json&)>& edit) {
  return [edit](const TempDir& dir) { write_model_config(dir, edit); };
}

std::function<void(const TempDir&)> file(const std::string& name, const std::string& contents) {
  return [name, contents](const TempDir& dir) { write_file(dir.file(name), contents); };
}

// dir/r.json: the report fixture's bench result (which the gate and the report accept), edited.
void write_result(const TempDir& dir, const std::function<void(t5::json&)>& edit) {
  t5::json result = t5test::read_report_fixture("bench.json");
  edit(result);
  t5test::write_json(dir, "r.json", result);
}

constexpr const char* kBaseline =
    R"({"schema_version": 1, "entries": [{"thresholds": {"end_to_end_ms.p50": {"max": 500}}}]})";

std::string repeated(const std::string& text, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) out += text;
  return out;
}

// --- Cases --------------------------------------------------------------------------------------------

std::vector<BadInputCase> cases() {
  const std::string load_tiny = "generate --model {dir}/m --prompt '5 1' --input-ids";
  const std::string gen = "t5bench generate: ";
  const std::string bench = "bench --synthetic {dir}/tiny-config.json --suite {dir}/suite.json --out {dir}/result.json";
  auto suite = [](const std::string& text) {
    return [text](const TempDir& dir) {
      t5test::write_tiny_config(dir);
      write_file(dir.file("suite.json"), text);
    };
  };
  const std::string gate = "gate --result {dir}/r.json --baseline {dir}/b.json";
  auto baseline = [](const std::string& text) {
    return [text](const TempDir& dir) {
      write_result(dir, [](t5::json&) {});
      write_file(dir.file("b.json"), text);
    };
  };
  auto result_text = [](const std::string& text) {
    return [text](const TempDir& dir) {
      write_file(dir.file("r.json"), text);
      write_file(dir.file("b.json"), kBaseline);
    };
  };
  auto result_edited = [](const std::function<void(t5::json&)>& edit) {
    return [edit](const TempDir& dir) {
      write_result(dir, edit);
      write_file(dir.file("b.json"), kBaseline);
    };
  };
  const std::string report = "report --results {dir}/r.json --out {dir}/report/r";
  const std::string compare = "compare {dir}/r.json {dir}/r.json --out {dir}/compare.json";
  // Google Benchmark writes a non-finite aggregate (a cv of runs that all took 0 ms) unquoted.
  const std::string nan_result =
      R"({"context": {}, "benchmarks": [{"name": "fixture/baseline_cv", "real_time": NaN}]})";
  const std::string inf_result =
      R"({"context": {}, "benchmarks": [{"name": "fixture/baseline_max", "real_time": -Infinity}]})";
  const auto drop_machine_class = [](t5::json& r) { r["context"]["t5bench"].erase("machine_class"); };
  const auto p50_as_text = [](t5::json& r) {
    r["configurations"][0]["statistics"]["end_to_end_ms"]["p50"] = "110 ms";
  };
  const std::string eight_bytes(8, '\0');
  const std::vector<float> embedding(512 * 64);  // the tiny config's shared.weight, [512, 64]

  return {
      // safetensors: model.safetensors of the tiny model, broken in each way the loader checks.
      {"SafetensorsTruncated",
       [](const TempDir& dir) {
         tiny_model_with_tensors({{"t", {{2}, {1, 2}}}})(dir);
         fs::resize_file(dir.file("m/model.safetensors"), fs::file_size(dir.file("m/model.safetensors")) - 4);
       },
       load_tiny, 1,
       gen + "{dir}/m/model.safetensors: tensor 't': data_offsets [0, 8] fall outside the data section of 4 bytes"},
      {"SafetensorsHeaderLengthPastEnd", tiny_model_with_image(le64(1000) + "{}"), load_tiny, 1,
       gen + "{dir}/m/model.safetensors: header length 1000 runs past the end of the file (10 bytes): truncated?"},
      {"SafetensorsHeaderLengthAbsurd", tiny_model_with_image(le64(UINT64_MAX) + "{}"), load_tiny, 1,
       gen + "{dir}/m/model.safetensors: header length 18446744073709551615 is larger than the 100 MiB limit"},
      {"SafetensorsHeaderNotJson", tiny_model_with_image(safetensors("{not json", "")), load_tiny, 1,
       gen + "{dir}/m/model.safetensors (header): invalid JSON: parse error at line 1, column 3: syntax error while "
             "parsing object key - invalid literal; last read: '{no'; expected string literal"},
      {"SafetensorsUnknownDtype",
       tiny_model_with_image(safetensors(R"({"t":{"dtype":"Q4","shape":[2],"data_offsets":[0,8]}})", eight_bytes)),
       load_tiny, 1, gen + "{dir}/m/model.safetensors: tensor 't': unknown dtype 'Q4'"},
      {"SafetensorsOffsetsOutOfRange",
       tiny_model_with_image(safetensors(R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[0,4096]}})", eight_bytes)),
       load_tiny, 1,
       gen + "{dir}/m/model.safetensors: tensor 't': data_offsets [0, 4096] fall outside the data section of 8 bytes"},
      {"SafetensorsOverlappingOffsets",
       tiny_model_with_image(safetensors(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                         R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                                         std::string(12, '\0'))),
       load_tiny, 1, gen + "{dir}/m/model.safetensors: tensors 'a' and 'b' overlap in the data section"},
      {"SafetensorsShapeTimesDtypeNotLength",
       tiny_model_with_image(safetensors(R"({"t":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", eight_bytes)),
       load_tiny, 1,
       gen + "{dir}/m/model.safetensors: tensor 't': shape [3] of F32 needs 12 bytes but data_offsets hold 8"},
      {"SafetensorsTensorMissing", tiny_model_with_tensors({{"shared.weight", {{512, 64}, embedding}}}),
       load_tiny, 1,
       gen + "{dir}/m: tensor 'encoder.block.0.layer.0.layer_norm.weight' is missing from the checkpoint"},
      {"SafetensorsTensorWrongShape", tiny_model_with_tensors({{"shared.weight", {{1024, 32}, embedding}}}),
       load_tiny, 1,
       gen + "{dir}/m/model.safetensors: tensor 'shared.weight' has shape [1024, 32] but config.json implies "
             "[512, 64]"},
      {"SafetensorsIndexNamesMissingShard",
       [](const TempDir& dir) {
         write_model_config(dir);
         write_file(dir.file("m/model.safetensors.index.json"),
                    R"({"weight_map": {"shared.weight": "model-00001-of-00002.safetensors"}})");
       },
       load_tiny, 1,
       gen + "{dir}/m/model.safetensors.index.json: shard 'model-00001-of-00002.safetensors' (holding "
             "'shared.weight') does not exist"},

      // config.json (read before the weights).
      {"ConfigMissing", [](const TempDir& dir) { fs::create_directories(dir.file("m")); }, load_tiny, 1,
       gen + "{dir}/m/config.json: cannot open: No such file or directory"},
      {"ConfigMalformed",
       [](const TempDir& dir) {
         fs::create_directories(dir.file("m"));
         write_file(dir.file("m/config.json"), R"({"vocab_size": 512,)");
       },
       load_tiny, 1,
       gen + "{dir}/m/config.json: invalid JSON: parse error at line 1, column 20: syntax error while parsing "
             "object key - unexpected end of input; expected string literal"},
      {"ConfigMissingField", tiny_config_with([](t5::json& c) { c.erase("d_model"); }), load_tiny, 1,
       gen + "{dir}/m/config.json: missing required field 'd_model'"},
      {"ConfigNumHeadsZero", tiny_config_with([](t5::json& c) { c["num_heads"] = 0; }), load_tiny, 1,
       gen + "{dir}/m/config.json: field 'num_heads' must be a positive size, got 0"},
      {"ConfigDkvZero", tiny_config_with([](t5::json& c) { c["d_kv"] = 0; }), load_tiny, 1,
       gen + "{dir}/m/config.json: field 'd_kv' must be a positive size, got 0"},
      {"ConfigNegativeDff", tiny_config_with([](t5::json& c) { c["d_ff"] = -128; }), load_tiny, 1,
       gen + "{dir}/m/config.json: field 'd_ff' must be a positive size, got -128"},
      {"ConfigUnknownFeedForwardProj", tiny_config_with([](t5::json& c) { c["feed_forward_proj"] = "gated-swish"; }),
       load_tiny, 1,
       gen + "{dir}/m/config.json: unknown feed_forward_proj 'gated-swish' (expected relu, gelu, silu or gelu_new, "
             "optionally prefixed by 'gated-')"},

      // Tokenizer: the shared model without its spiece.model; a --tokenizer file missing, corrupt, truncated.
      {"TokenizerSpieceModelMissing",
       [](const TempDir& dir) {
         fs::create_directories(dir.file("m"));
         for (const fs::directory_entry& entry : fs::directory_iterator(t5test::shared_model_dir()))
           if (entry.path().filename() != "spiece.model")
             fs::create_symlink(entry.path(), dir.file("m/" + entry.path().filename().string()));
       },
       "generate --model {dir}/m --prompt 'translate English to German: Hello'", 1,
       gen + "m: no tokenizer (spiece.model): give --tokenizer FILE or prompts as --input-ids", true},
      {"TokenizerFileMissing", [](const TempDir& dir) { t5test::write_tiny_config(dir); },
       "generate --synthetic {dir}/tiny-config.json --tokenizer {dir}/spiece.model --prompt hello", 1,
       gen + "{dir}/spiece.model: tokenizer model does not exist"},
      {"TokenizerCorrupt", file("spiece.model", "this is not a protobuf"),
       "generate --model {model} --tokenizer {dir}/spiece.model --prompt hello", 1,
       gen + "{dir}/spiece.model: not a valid SentencePiece model", true},
      // The first 1000 bytes of the real spiece.model parse, as a vocabulary of a few pieces.
      {"TokenizerTruncated",
       [](const TempDir& dir) {
         const std::string real = t5test::read_file(t5test::shared_model_dir() + "/spiece.model");
         write_file(dir.file("spiece.model"), real.substr(0, 1000));
       },
       "generate --model {model} --tokenizer {dir}/spiece.model --prompt hello", 1,
       gen + "{dir}/spiece.model: {N} pieces do not fit the model's vocab_size 32128 (expected between vocab_size - 256 "
             "and vocab_size): not this model's tokenizer",
       true},

      // Prompts, on the shared model (limit 512 tokens, vocabulary 32128).
      {"PromptEmpty", [](const TempDir&) {}, "generate --model {model} --prompt ''", 1,
       gen + "--prompt: prompt is empty", true},
      {"PromptOnlyWhitespace", [](const TempDir&) {}, "generate --model {model} --prompt '  \t  '", 1,
       gen + "--prompt: prompt holds only whitespace", true},
      {"PromptsFileInvalidUtf8", file("prompts.txt", "fine\n\xff\xfe broken\n"),
       "generate --model {model} --prompts {dir}/prompts.txt", 1,
       gen + "{dir}/prompts.txt:2: invalid UTF-8 at byte 0", true},
      {"PromptLongerThanTheModelLimit", [](const TempDir&) {},
       "generate --model {model} --prompt '" + repeated("word ", 600) + "'", 1,
       gen + "--prompt: 601 input tokens exceed the model's limit of 512", true},
      {"InputIdOutsideTheVocabulary", [](const TempDir&) {},
       "generate --model {model} --prompt '5 32128 1' --input-ids", 1,
       gen + "--prompt: input id 32128 at position 1 is outside the vocabulary of 32128", true},

      // bench --suite (read before the model).
      {"SuiteMalformed", suite(R"({"name": "tiny", "input_tokens": 16,)"), bench, 1,
       "t5bench bench: {dir}/suite.json: invalid JSON: parse error at line 1, column 37: syntax error while parsing "
       "object key - unexpected end of input; expected string literal"},
      {"SuiteMissingField", suite(R"({"name": "tiny", "input_tokens": 16, "prompts": {"kind": "random"}})"), bench, 1,
       "t5bench bench: {dir}/suite.json: missing required field 'output_tokens'"},
      {"SuiteWrongType",
       suite(R"({"name": "tiny", "input_tokens": "16", "output_tokens": 4, "prompts": {"kind": "random"}})"), bench, 1,
       "t5bench bench: {dir}/suite.json: field 'input_tokens' must be an integer, got \"16\""},
      {"SuiteNaN",
       suite(R"({"name": "tiny", "input_tokens": 16, "output_tokens": 4, "runs": NaN, "prompts": {"kind": "random"}})"),
       bench, 1,
       "t5bench bench: {dir}/suite.json: invalid JSON: NaN at line 1, column 66 is not a JSON number (write null or a "
       "finite value)"},

      // gate --baseline, with a good result: bad input is exit 2 for the gate.
      {"BaselineMalformed", baseline(R"({"schema_version": 1, "entries": [)"), gate, 2,
       "t5bench gate: {dir}/b.json: invalid JSON: parse error at line 1, column 35: syntax error while parsing value "
       "- unexpected end of input; expected '[', '{', or a literal"},
      {"BaselineMissingField", baseline(R"({"schema_version": 1})"), gate, 2,
       "t5bench gate: {dir}/b.json: missing required field 'entries'"},
      {"BaselineWrongType", baseline(R"({"schema_version": 1, "entries": {}})"), gate, 2,
       "t5bench gate: {dir}/b.json: 'entries' must be a list"},
      {"BaselineInfinity",
       baseline(R"({"schema_version": 1, "entries": [{"thresholds": {"end_to_end_ms.p50": {"max": Infinity}}}]})"),
       gate, 2,
       "t5bench gate: {dir}/b.json: invalid JSON: Infinity at line 1, column 80 is not a JSON number (write null or a "
       "finite value)"},

      // gate --result, with a good baseline.
      {"GateResultMalformed", result_text(R"({"context": {"t5bench": )"), gate, 2,
       "t5bench gate: {dir}/r.json: invalid JSON: parse error at line 1, column 25: syntax error while parsing value "
       "- unexpected end of input; expected '[', '{', or a literal"},
      {"GateResultMissingField", result_edited(drop_machine_class), gate, 2,
       "t5bench gate: {dir}/r.json: missing required field 'context.t5bench.machine_class'"},
      {"GateResultWrongType", result_edited(p50_as_text), gate, 2,
       "t5bench gate: {dir}/r.json: field 'configurations[0].statistics.end_to_end_ms.p50' must be a number, got "
       "\"110 ms\""},
      {"GateResultNaN", result_text(nan_result), gate, 2,
       "t5bench gate: {dir}/r.json: invalid JSON: NaN at line 1, column 77 is not a JSON number (write null or a "
       "finite value)"},
      {"GateResultInfinity", result_text(inf_result), gate, 2,
       "t5bench gate: {dir}/r.json: invalid JSON: -Infinity at line 1, column 78 is not a JSON number (write null or "
       "a finite value)"},

      // report --results.
      {"ReportResultMalformed", result_text(R"({"context": {"t5bench": )"), report, 1,
       "t5bench report: {dir}/r.json: invalid JSON: parse error at line 1, column 25: syntax error while parsing "
       "value - unexpected end of input; expected '[', '{', or a literal"},
      {"ReportResultMissingField", result_edited(drop_machine_class), report, 1,
       "t5bench report: {dir}/r.json: missing required field 'context.t5bench.machine_class'"},
      {"ReportResultWrongType", result_edited(p50_as_text), report, 1,
       "t5bench report: {dir}/r.json: field 'configurations[0].statistics.end_to_end_ms.p50' must be a number, got "
       "\"110 ms\""},
      {"ReportResultNaN", result_text(nan_result), report, 1,
       "t5bench report: {dir}/r.json: invalid JSON: NaN at line 1, column 77 is not a JSON number (write null or a "
       "finite value)"},
      {"ReportResultInfinity", result_text(inf_result), report, 1,
       "t5bench report: {dir}/r.json: invalid JSON: -Infinity at line 1, column 78 is not a JSON number (write null "
       "or a finite value)"},

      // compare, on the same results: the one result reader's words, as gate's and report's.
      {"CompareResultMalformed", result_text(R"({"context": {"t5bench": )"), compare, 2,
       "t5bench compare: {dir}/r.json: invalid JSON: parse error at line 1, column 25: syntax error while parsing "
       "value - unexpected end of input; expected '[', '{', or a literal"},
      {"CompareResultMissingField", result_edited(drop_machine_class), compare, 2,
       "t5bench compare: {dir}/r.json: missing required field 'context.t5bench.machine_class'"},
      {"CompareResultWrongType", result_edited(p50_as_text), compare, 2,
       "t5bench compare: {dir}/r.json: field 'configurations[0].statistics.end_to_end_ms.p50' must be a number, got "
       "\"110 ms\""},
      {"CompareResultNaN", result_text(nan_result), compare, 2,
       "t5bench compare: {dir}/r.json: invalid JSON: NaN at line 1, column 77 is not a JSON number (write null or a "
       "finite value)"},

      // Resources: 4096 prompts decoded together for 4096 tokens each, on the tiny config widened to d_kv 1024:
      // about 1 TiB of KV cache, refused before any of it is allocated. (--synthetic flan-t5-base is refused the
      // same way, but building its weights takes seconds and a GiB.)
      {"BatchExceedsAvailableMemory",
       [](const TempDir& dir) {
         t5::json config = t5::read_json_file(t5test::write_tiny_config(dir));
         config["d_kv"] = 1024;
         write_file(dir.file("wide-config.json"), config.dump());
         write_file(dir.file("ids.txt"), repeated("5 1\n", 4096));
       },
       "generate --synthetic {dir}/wide-config.json --prompts {dir}/ids.txt --input-ids --batch 4096 "
       "--max-new-tokens 4096",
       1,
       gen + "a batch of 4096 prompts (8192 tokens): needs 1050018 MiB for its activations and KV cache, more than the "
             "{N} MiB available"},
  };
}

void PrintTo(const BadInputCase& c, std::ostream* os) { *os << c.name; }

// --- The test -----------------------------------------------------------------------------------------

std::string expand(std::string text, const TempDir& dir) {
  for (const auto& [key, value] : {std::pair<std::string, std::string>{"{dir}", dir.path()},
                                   std::pair<std::string, std::string>{"{model}", t5test::shared_model_dir()}})
    for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
      text.replace(at, key.size(), value);
  return text;
}

// `line` equals `expected`, where each "{N}" in `expected` stands for one number (a machine-dependent size).
bool matches(const std::string& expected, const std::string& line) {
  const size_t wildcard = expected.find("{N}");
  if (wildcard == std::string::npos) return line == expected;
  if (line.compare(0, wildcard, expected, 0, wildcard) != 0) return false;
  size_t digits = wildcard;
  while (digits < line.size() && std::isdigit(static_cast<unsigned char>(line[digits]))) ++digits;
  return digits > wildcard && matches(expected.substr(wildcard + 3), line.substr(digits));
}

std::set<std::string> files_under(const std::string& dir) {
  std::set<std::string> files;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(dir)) files.insert(entry.path().string());
  return files;
}

class T5benchCli : public testing::TestWithParam<BadInputCase> {};

TEST_P(T5benchCli, RefusesWithOneLine) {
  const BadInputCase& c = GetParam();
  if (c.needs_shared_data) T5_REQUIRE_SHARED_DATA();
  TempDir dir("bad-input");
  c.setup(dir);
  const std::set<std::string> before = files_under(dir.path());
  const std::string args = expand(c.args, dir);
  const t5test::CommandResult r = t5test::run_command(t5test::binary_path() + " " + args);
  RecordProperty("command", "t5bench " + args);
  RecordProperty("stderr", r.err);

  ASSERT_EQ(r.signal, 0) << "ended by signal " << r.signal << "; stderr: " << r.err;
  EXPECT_EQ(r.exit_code, c.exit_code) << r.err;
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(r.err.back(), '\n') << r.err;
  const std::string line = r.err.substr(0, r.err.find('\n'));
  const std::string expected = expand(c.message, dir);
  EXPECT_TRUE(matches(expected, line)) << "  actual: " << line << "\nexpected: " << expected;
  EXPECT_EQ(r.out, "");                           // nothing half-done on stdout
  EXPECT_EQ(files_under(dir.path()), before);  // and no --out file (they all point into dir)
}

INSTANTIATE_TEST_SUITE_P(BadInput, T5benchCli, testing::ValuesIn(cases()),
                         [](const testing::TestParamInfo<BadInputCase>& info) { return info.param.name; });

}  // namespace
