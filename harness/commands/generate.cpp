// t5bench generate: greedy generation from prompts, as text or as JSON lines in the reference format.

#include <cstdio>
#include <iostream>

#include "cli/args.h"
#include "cli/model_args.h"
#include "cli/prompts.h"
#include "commands/commands.h"

namespace t5bench {

int run_generate(const std::vector<std::string>& argv) {
  Args::Spec spec{{"prompt", "prompts", "max-new-tokens", "format", "config"}, {}, {"input-ids", "ignore-eos"}};
  add_model_options(spec);
  Args args("generate", argv, spec);
  const std::string prompt_option = args.one_of({"prompt", "prompts"});
  const std::string format = args.value("format").value_or("text");
  if (format != "text" && format != "jsonl") throw UsageError("option '--format': '" + format + "' is not text or jsonl");
  t5::GenerateOptions options;
  options.max_new_tokens = static_cast<int>(args.integer("max-new-tokens", 48, 1, 4096));
  options.ignore_eos = args.flag("ignore-eos");
  const t5::Switches switches = parse_configuration(args.value("config").value_or("optimized"));

  std::unique_ptr<t5::Model> model = load_model(args);
  const std::string source = args.required(prompt_option);
  const std::vector<Prompt> prompts = read_prompts(prompt_option == "prompt" ? &source : nullptr,
                                                   prompt_option == "prompts" ? &source : nullptr,
                                                   args.flag("input-ids"), *model);
  t5::Engine engine(*model, thread_count(args));
  engine.set_switches(switches);
  const t5::Tokenizer* tokenizer = model->tokenizer();
  for (const Prompt& prompt : prompts) {
    t5::Generation generation = engine.generate(prompt.input_ids, options);
    const std::string text = tokenizer ? tokenizer->decode(generation.output_ids) : "";
    if (format == "jsonl") {
      t5::json line = {{"input_ids", prompt.input_ids}, {"output_ids", generation.output_ids}, {"output_text", text}};
      std::cout << line.dump(-1, ' ', false, t5::json::error_handler_t::replace) << '\n';
    } else if (tokenizer) {
      std::cout << text << '\n';
    } else {
      for (size_t i = 0; i < generation.output_ids.size(); ++i) std::cout << (i ? " " : "") << generation.output_ids[i];
      std::cout << '\n';
    }
  }
  std::cout.flush();
  if (!std::cout) t5::fail("stdout", "write failed");
  return 0;
}

}  // namespace t5bench
