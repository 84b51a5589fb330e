// The generate command as users run it: output formats, exit codes and error lines.

#include <gtest/gtest.h>

#include "io/json_file.h"
#include "kernels/dispatch.h"
#include "support/shared_data.h"

namespace {

std::string t5bench_command(const std::string& args) { return t5test::binary_path() + " " + args; }

TEST(GenerateCommand, WritesReferenceShapedJsonLines) {
  T5_REQUIRE_SHARED_DATA();
  t5test::TempDir dir("gen");
  t5test::write_file(dir.file("prompts.txt"), "23 - 23 =\ntranslate English to German: The house is wonderful.\n");
  const t5test::CommandResult r = t5test::run_command(
      t5bench_command("generate --model " + t5test::shared_model_dir() + " --prompts " + dir.file("prompts.txt") +
                      " --format jsonl"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"input_ids\":[1902,3,18,1902,3274,1],\"output_ids\":[3,632,1],\"output_text\":\"0\"}\n"
            "{\"input_ids\":[13959,1566,12,2968,10,37,629,19,1627,5,1],\"output_ids\":[1465,1],"
            "\"output_text\":\"positive\"}\n");
  EXPECT_EQ(r.err, "");
}

TEST(GenerateCommand, FeedsIdsAndIgnoresEos) {
  T5_REQUIRE_SHARED_DATA();
  const t5test::CommandResult r = t5test::run_command(
      t5bench_command("generate --model " + t5test::shared_model_dir() +
                      " --prompt '1902 3 18 1902 3274 1' --input-ids --ignore-eos --max-new-tokens 5 --format jsonl"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const t5::json line = t5::parse_json(r.out, "stdout");
  EXPECT_EQ(line["output_ids"].size(), 5u);
  EXPECT_EQ(line["output_ids"][0], 3);
  EXPECT_EQ(line["output_ids"][1], 632);
}

TEST(GenerateCommand, TextFormatPrintsTheAnswer) {
  T5_REQUIRE_SHARED_DATA();
  const t5test::CommandResult r = t5test::run_command(
      t5bench_command("generate --model " + t5test::shared_model_dir() + " --prompt '23 - 23 =' --config baseline"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "0\n");
}

TEST(GenerateCommand, BeamSearchWritesTheSequenceScore) {
  T5_REQUIRE_SHARED_DATA();
  // suite-dev.json dev-0025 ("echo: the sailor writes a bird"), where beam 4 and greedy disagree.
  const t5test::CommandResult r = t5test::run_command(
      t5bench_command("generate --model " + t5test::shared_model_dir() +
                      " --prompt '20747 10 8 3 7 9 967 11858 3 9 5963 1' --input-ids --beams 4 --max-new-tokens 32"
                      " --format jsonl"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const t5::json line = t5::parse_json(r.out, "stdout");
  EXPECT_EQ(line["output_ids"], t5::json::parse("[3,9,3,7,9,967,11858,8,5963,1]"));
  EXPECT_NEAR(line["sequence_score"].get<double>(), -0.13537517189979553, 1e-4);
}

TEST(GenerateCommand, BadBeamOptionsExitTwo) {
  const std::string model = " --model " + t5test::shared_model_dir() + " --prompt hi";
  struct Case {
    std::string args, error;
  } cases[] = {
      {"--beams 4 --early-stopping maybe", "option '--early-stopping': 'maybe' is not false, true or never"},
      {"--beams 0", "option '--beams': 0 is outside [1, 64]"},
      {"--length-penalty 2", "options '--length-penalty' and '--early-stopping' apply to --beams above 1"},
      {"--beams 2 --ignore-eos", "option '--ignore-eos' applies to --beams 1 only"},
  };
  for (const Case& c : cases) {
    const t5test::CommandResult r = t5test::run_command(t5bench_command("generate" + model + " " + c.args));
    EXPECT_EQ(r.exit_code, 2) << c.args;
    EXPECT_EQ(r.err.substr(0, r.err.find('\n')), "t5bench generate: " + c.error) << c.args;
    EXPECT_EQ(r.out, "") << c.args;
  }
}

TEST(GenerateCommand, RunsTheFlanT5BaseShapeWithSyntheticWeights) {
  T5_REQUIRE_SHARED_DATA();
  const t5test::CommandResult r = t5test::run_command(
      t5bench_command("generate --synthetic " + t5test::shared_dir() +
                      "/configs/flan-t5-base.json --prompt '100 200 300 1' --input-ids --ignore-eos "
                      "--max-new-tokens 3"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  int ids = 0;
  for (char ch : r.out) ids += ch == ' ';
  EXPECT_EQ(ids, 2) << r.out;  // three ids on one line
}

TEST(GenerateCommand, UsageErrorsExitTwo) {
  const t5test::CommandResult r = t5test::run_command(t5bench_command("generate --prompt hi"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')), "t5bench generate: one of --model or --synthetic is required");
  const t5test::CommandResult unknown = t5test::run_command(t5bench_command("frobnicate"));
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.err.substr(0, unknown.err.find('\n')), "t5bench: unknown command 'frobnicate'");
}

TEST(GenerateCommand, BadInputExitsOneNamingTheSource) {
  T5_REQUIRE_SHARED_DATA();
  t5test::TempDir dir("gen");
  t5test::write_file(dir.file("prompts.txt"), "fine\n\xff\xfe broken\n");
  const std::string model = " --model " + t5test::shared_model_dir();
  struct Case {
    std::string args, error;
  } cases[] = {
      {"--prompts " + dir.file("prompts.txt"), dir.file("prompts.txt") + ":2: invalid UTF-8 at byte 0"},
      {"--prompt ''", "--prompt: prompt is empty"},
      {"--prompt '5 99999 1' --input-ids", "--prompt: input id 99999 at position 1 is outside the vocabulary of 32128"},
      {"--prompt '5 x 1' --input-ids", "--prompt: 'x' is not a token id"},
      {"--prompts " + dir.file("none.txt"), dir.file("none.txt") + ": cannot open: No such file or directory"},
  };
  for (const Case& c : cases) {
    const t5test::CommandResult r = t5test::run_command(t5bench_command("generate" + model + " " + c.args));
    EXPECT_EQ(r.exit_code, 1) << c.args;
    EXPECT_EQ(r.err, "t5bench generate: " + c.error + "\n") << c.args;
    EXPECT_EQ(r.out, "") << c.args;  // nothing half-done
  }
  const t5test::CommandResult missing = t5test::run_command(t5bench_command("generate --model /nope --prompt hi"));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err, "t5bench generate: /nope/config.json: cannot open: No such file or directory\n");
}

// T5BENCH_ISA forces a lower kernel tier; a name that is no tier, or a tier this CPU lacks, is a one-line
// error before anything loads.
TEST(GenerateCommand, RefusesAnIsaTierItCannotRun) {
  t5test::TempDir dir("isa");
  const std::string args = " generate --synthetic " + t5test::write_tiny_config(dir) + " --prompt '5 1' --input-ids";
  t5test::CommandResult r = t5test::run_command("env T5BENCH_ISA=avx9000 " + t5bench_command(args));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "t5bench generate: T5BENCH_ISA=avx9000: unknown instruction-set tier (generic, avx2, avx512, "
            "avx512_bf16)\n");
  EXPECT_EQ(r.out, "");
  r = t5test::run_command("env T5BENCH_ISA=generic " + t5bench_command(args + " --max-new-tokens 2 --ignore-eos"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  if (t5::host_isa_tiers().back() == t5::IsaTier::Avx512Bf16) return;  // the CPU runs every tier
  r = t5test::run_command("env T5BENCH_ISA=avx512_bf16 " + t5bench_command(args));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.rfind("t5bench generate: T5BENCH_ISA=avx512_bf16: this CPU lacks ", 0), 0u) << r.err;
}

}  // namespace
