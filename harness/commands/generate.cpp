// t5bench generate: greedy or beam-search generation from prompts, as text or as JSON lines in the reference
// format.

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "cli/args.h"
#include "cli/interrupt.h"
#include "cli/model_args.h"
#include "cli/prompts.h"
#include "commands/commands.h"

namespace t5bench {

namespace {

t5::EarlyStopping early_stopping(const std::string& value) {
  if (value == "false") return t5::EarlyStopping::False;
  if (value == "true") return t5::EarlyStopping::True;
  if (value == "never") return t5::EarlyStopping::Never;
  throw UsageError("option '--early-stopping': '" + value + "' is not false, true or never");
}

}  // namespace

int run_generate(const std::vector<std::string>& argv) {
  Args::Spec spec{
      {"prompt", "prompts", "max-new-tokens", "format", "config", "beams", "length-penalty", "early-stopping", "batch"},
      {},
      {"input-ids", "ignore-eos"}};
  add_model_options(spec);
  Args args("generate", argv, spec);
  const std::string prompt_option = args.one_of({"prompt", "prompts"});
  const std::string format = args.value("format").value_or("text");
  if (format != "text" && format != "jsonl") throw UsageError("option '--format': '" + format + "' is not text or jsonl");
  t5::GenerateOptions options;
  options.max_new_tokens = static_cast<int>(args.integer("max-new-tokens", 48, 1, 4096));
  options.ignore_eos = args.flag("ignore-eos");
  t5::BeamOptions beam;
  beam.num_beams = static_cast<int>(args.integer("beams", 1, 1, 64));
  beam.length_penalty = args.number("length-penalty", 1.0, -100.0, 100.0);
  beam.early_stopping = early_stopping(args.value("early-stopping").value_or("false"));
  beam.max_new_tokens = options.max_new_tokens;
  const bool beam_search = beam.num_beams > 1;
  if (!beam_search && (args.has("length-penalty") || args.has("early-stopping")))
    throw UsageError("options '--length-penalty' and '--early-stopping' apply to --beams above 1");
  if (beam_search && options.ignore_eos) throw UsageError("option '--ignore-eos' applies to --beams 1 only");
  const int batch = static_cast<int>(args.integer("batch", 1, 1, 4096));
  if (beam_search && batch > 1) throw UsageError("options '--batch' and '--beams' exclude each other");
  const t5::Switches switches = parse_configuration(args.value("config").value_or("optimized"));

  std::unique_ptr<t5::Model> model = load_model(args);
  const std::string source = args.required(prompt_option);
  const std::vector<Prompt> prompts = read_prompts(prompt_option == "prompt" ? &source : nullptr,
                                                   prompt_option == "prompts" ? &source : nullptr,
                                                   args.flag("input-ids"), *model);
  t5::Engine engine(*model, thread_count(args));
  engine.set_switches(switches);
  const t5::Tokenizer* tokenizer = model->tokenizer();
  auto print = [&](const Prompt& prompt, const std::vector<int32_t>& output_ids, const double* sequence_score) {
    const std::string text = tokenizer ? tokenizer->decode(output_ids) : "";
    if (format == "jsonl") {
      t5::json line = {{"input_ids", prompt.input_ids}, {"output_ids", output_ids}, {"output_text", text}};
      if (sequence_score) line["sequence_score"] = *sequence_score;
      std::cout << line.dump(-1, ' ', false, t5::json::error_handler_t::replace) << '\n';
    } else if (tokenizer) {
      std::cout << text << '\n';
    } else {
      for (size_t i = 0; i < output_ids.size(); ++i) std::cout << (i ? " " : "") << output_ids[i];
      std::cout << '\n';
    }
  };
  // Prompts in groups of --batch, decoded together; outputs in prompt order either way.
  for (size_t first = 0; first < prompts.size(); first += static_cast<size_t>(batch)) {
    throw_if_interrupted();
    const size_t last = std::min(prompts.size(), first + static_cast<size_t>(batch));
    if (beam_search) {
      const t5::Generation generation = engine.generate_beam(prompts[first].input_ids, beam);
      print(prompts[first], generation.output_ids, &generation.sequence_score);
      continue;
    }
    std::vector<std::vector<int32_t>> inputs;
    for (size_t i = first; i < last; ++i) inputs.push_back(prompts[i].input_ids);
    const t5::BatchGeneration generation = engine.generate_batch(inputs, options);
    for (size_t i = first; i < last; ++i) print(prompts[i], generation.output_ids[i - first], nullptr);
  }
  std::cout.flush();
  if (!std::cout) t5::fail("stdout", "write failed");
  return 0;
}

}  // namespace t5bench
