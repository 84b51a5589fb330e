#include "cli/model_args.h"

#include <stdexcept>

#include "core/topology.h"
#include "kernels/dispatch.h"

namespace t5bench {

void add_model_options(Args::Spec& spec) {
  for (const char* name : {"model", "synthetic", "seed", "tokenizer", "weights", "threads"}) spec.values.push_back(name);
}

t5::WeightType weight_type(const Args& args) {
  const std::string name = args.value("weights").value_or("f32");
  if (name == "f32") return t5::WeightType::F32;
  if (name == "bf16") return t5::WeightType::BF16;
  if (name == "int8") return t5::WeightType::I8;
  throw UsageError("option '--weights': '" + name + "' is not one of f32, bf16, int8");
}

const char* weight_type_name(t5::WeightType type) {
  switch (type) {
    case t5::WeightType::F32: return "f32";
    case t5::WeightType::BF16: return "bf16";
    case t5::WeightType::I8: return "int8";
  }
  return "?";
}

std::unique_ptr<t5::Model> load_model(const Args& args) {
  t5::active_isa_tier();  // an unknown or unsupported T5BENCH_ISA fails here, before anything loads
  const std::string source = args.one_of({"model", "synthetic"});
  if (source == "model" && args.has("seed")) throw UsageError("option '--seed' applies to --synthetic only");
  t5::LoadOptions options;
  options.weights = weight_type(args);
  std::unique_ptr<t5::Model> model;
  if (source == "model") {
    model = t5::Model::load(args.required("model"), options);
  } else {
    const long seed = args.integer("seed", 0, 0, 0x7fffffffL);
    model = t5::Model::synthetic(args.required("synthetic"), static_cast<uint64_t>(seed), options);
  }
  if (auto path = args.value("tokenizer")) {
    const t5::T5Config& c = model->config();
    model->set_tokenizer(std::make_unique<t5::Tokenizer>(*path, c.eos_token_id, c.pad_token_id, c.vocab_size));
  }
  return model;
}

int thread_count(const Args& args) {
  const int cores = t5::machine_topology().core_count();
  return static_cast<int>(args.integer("threads", cores, 1, 1024));
}

t5::Switches parse_configuration(const std::string& name) {
  if (name == "baseline") return t5::Switches::baseline();
  if (name == "optimized") return t5::Switches::optimized();
  try {
    if (name.rfind("optimized-", 0) == 0) {
      t5::Switches s = t5::Switches::optimized();
      s.set(name.substr(10), false);
      return s;
    }
    t5::Switches s = t5::Switches::baseline();
    s.set(name, true);
    return s;
  } catch (const std::invalid_argument&) {
    std::string known;
    for (const std::string& n : t5::Switches::names()) known += ", " + n;
    throw UsageError("unknown configuration '" + name + "' (baseline, optimized" + known +
                     ", or optimized-<optimization>)");
  }
}

}  // namespace t5bench
