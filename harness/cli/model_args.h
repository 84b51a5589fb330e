#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/args.h"
#include "t5.h"

namespace t5bench {

// Options of every command that runs the model:
//   (--model DIR | --synthetic CONFIG [--seed S]) [--tokenizer FILE] [--weights f32|bf16|int8] [--threads N]
void add_model_options(Args::Spec& spec);

std::unique_ptr<t5::Model> load_model(const Args& args);
// --threads, else one per physical core.
int thread_count(const Args& args);
t5::WeightType weight_type(const Args& args);
const char* weight_type_name(t5::WeightType type);

// A configuration name: "baseline", "optimized", a switch name (that optimization alone on the
// baseline) or "optimized-<switch>" (everything but that one).
t5::Switches parse_configuration(const std::string& name);

}  // namespace t5bench
