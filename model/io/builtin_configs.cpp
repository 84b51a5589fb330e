#include "io/builtin_configs.h"

namespace t5 {

namespace {

struct Builtin {
  const char* name;
  int d_model, d_ff, num_layers, num_heads;
};

// The values of huggingface.co/google/<name>/config.json; every FLAN-T5 shares the rest.
constexpr Builtin kBuiltins[] = {
    {"flan-t5-small", 512, 1024, 8, 6},
    {"flan-t5-base", 768, 2048, 12, 12},
    {"flan-t5-large", 1024, 2816, 24, 16},
};

}  // namespace

std::string builtin_config(const std::string& name) {
  for (const Builtin& b : kBuiltins) {
    if (name != b.name) continue;
    return std::string(R"({"architectures": ["T5ForConditionalGeneration"], "model_type": "t5",)") +
           R"( "d_model": )" + std::to_string(b.d_model) + R"(, "d_ff": )" + std::to_string(b.d_ff) +
           R"(, "d_kv": 64, "num_layers": )" + std::to_string(b.num_layers) + R"(, "num_decoder_layers": )" +
           std::to_string(b.num_layers) + R"(, "num_heads": )" + std::to_string(b.num_heads) +
           R"(, "vocab_size": 32128, "feed_forward_proj": "gated-gelu", "dense_act_fn": "gelu_new",)"
           R"( "is_gated_act": true, "layer_norm_epsilon": 1e-06, "n_positions": 512,)"
           R"( "relative_attention_num_buckets": 32, "relative_attention_max_distance": 128,)"
           R"( "tie_word_embeddings": false, "decoder_start_token_id": 0, "eos_token_id": 1, "pad_token_id": 0})";
  }
  return "";
}

std::vector<std::string> builtin_config_names() {
  std::vector<std::string> names;
  for (const Builtin& b : kBuiltins) names.push_back(b.name);
  return names;
}

}  // namespace t5
