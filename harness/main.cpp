// t5bench: FLAN-T5 inference, benchmarking and accuracy validation.

#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/interrupt.h"
#include "commands/commands.h"
#include "core/error.h"

namespace {

constexpr const char* kUsage =
    "usage: t5bench <command> [options]\n"
    "commands:\n"
    "  generate  (--model DIR | --synthetic CONFIG [--seed S]) (--prompt TEXT | --prompts FILE) [--input-ids]\n"
    "            [--max-new-tokens N] [--ignore-eos] [--format text|jsonl] [--config NAME] [--threads N]\n"
    "            [--tokenizer FILE] [--weights f32|bf16|int8]\n"
    "            [--batch N | --beams K [--length-penalty X] [--early-stopping false|true|never]]\n"
    "  bench     (--model DIR | --synthetic CONFIG [--seed S]) --suite suites/NAME.json --out FILE.json\n"
    "            [--configs baseline,optimized,...|ablation] [--warmup N] [--threads N] [--weights W]\n"
    "            [--runs N | --runs auto [--target-ci PERCENT] [--max-seconds S]]\n"
    "  accuracy  --model DIR --suite REFERENCE.json [--config NAME] [--weights W] [--out FILE.json] [--no-beam]\n"
    "  gate      --result FILE [--result FILE ...] --baseline baselines/NAME.json [--require-coverage]\n"
    "            [--update [--margin PERCENT]]   exit 0 pass, 1 a check failed or (--require-coverage) a record\n"
    "            unchecked, 2 bad input\n"
    "  compare   A.json B.json [--max-regression PERCENT] [--format text|markdown] [--out FILE.json]\n"
    "            exit 0, 1 a metric's whole 95% interval worse than PERCENT, 2 bad input\n"
    "  report    --results FILE.json [--results FILE.json ...] --out reports/NAME [--title TEXT] [--history DIR]\n"
    "            [--notes NOTES.json]   writes reports/NAME.md and reports/NAME.html\n";

struct Command {
  const char* name;
  int (*run)(const std::vector<std::string>&);
};

constexpr Command kCommands[] = {
    {"generate", t5bench::run_generate},
    {"bench", t5bench::run_bench},
    {"accuracy", t5bench::run_accuracy},
    {"gate", t5bench::run_gate},
    {"compare", t5bench::run_compare},
    {"report", t5bench::run_report},
};

}  // namespace

int main(int argc, char** argv) {
  // First of all: a SIGINT or SIGTERM that comes while the command starts up is then an ordinary interrupt
  // (exit 130 or 143 at the next check), never a death by signal.
  t5bench::install_interrupt_handlers();
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const std::string name = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  for (const Command& command : kCommands) {
    if (name != command.name) continue;
    try {
      return command.run(args);
    } catch (const t5bench::UsageError& e) {
      std::fprintf(stderr, "t5bench %s: %s\n%s", command.name, e.what(), kUsage);
      return 2;
    } catch (const t5::Error& e) {
      std::fprintf(stderr, "t5bench %s: %s\n", command.name, e.what());
      return 1;
    } catch (const t5bench::Interrupted&) {
      std::fprintf(stderr, "t5bench %s: interrupted; nothing written\n", command.name);
      return t5bench::interrupt_exit_status();
    } catch (const std::bad_alloc&) {
      std::fprintf(stderr, "t5bench %s: out of memory\n", command.name);
      return 1;
    }
  }
  std::fprintf(stderr, "t5bench: unknown command '%s'\n%s", name.c_str(), kUsage);
  return 2;
}
