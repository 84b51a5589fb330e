#include "io/config.h"

#include "core/error.h"

namespace t5 {

namespace {

int positive_int(const json& object, const char* name, const std::string& source) {
  int64_t value = require_int(object, name, source);
  if (value <= 0 || value > (1 << 24))
    fail(source, std::string("field '") + name + "' must be a positive size, got " + std::to_string(value));
  return static_cast<int>(value);
}

int token_id(const json& object, const char* name, int fallback, const std::string& source) {
  int64_t value = optional_int(object, name, fallback, source);
  if (value < 0 || value > (1 << 24))
    fail(source, std::string("field '") + name + "' must be a token id, got " + std::to_string(value));
  return static_cast<int>(value);
}

// transformers splits feed_forward_proj on '-': "[gated-]ACT"; a gated "gelu" means the tanh form.
void parse_feed_forward(T5Config& config, const std::string& source) {
  const std::string& proj = config.feed_forward_proj;
  std::string act = proj;
  config.gated = false;
  if (proj.rfind("gated-", 0) == 0) {
    config.gated = true;
    act = proj.substr(6);
  }
  if (act == "relu") {
    config.activation = Activation::Relu;
  } else if (act == "gelu") {
    config.activation = config.gated ? Activation::GeluTanh : Activation::GeluErf;
  } else if (act == "gelu_new") {
    config.activation = Activation::GeluTanh;
  } else if (act == "silu") {
    config.activation = Activation::Silu;
  } else {
    fail(source, "unknown feed_forward_proj '" + proj +
                     "' (expected relu, gelu, silu or gelu_new, optionally prefixed by 'gated-')");
  }
}

}  // namespace

T5Config parse_config(const json& object, const std::string& source) {
  if (!object.is_object()) fail(source, "config is not a JSON object");
  std::string model_type = optional_string(object, "model_type", "t5", source);
  if (model_type != "t5") fail(source, "model_type '" + model_type + "' is not a T5 model");

  T5Config c;
  c.vocab_size = positive_int(object, "vocab_size", source);
  c.d_model = positive_int(object, "d_model", source);
  c.d_kv = positive_int(object, "d_kv", source);
  c.d_ff = positive_int(object, "d_ff", source);
  c.num_layers = positive_int(object, "num_layers", source);
  c.num_heads = positive_int(object, "num_heads", source);
  // inner_dim() is a size too: its product must stay within the same bound as its factors.
  if (int64_t{c.num_heads} * c.d_kv > (1 << 24))
    fail(source, "num_heads x d_kv = " + std::to_string(int64_t{c.num_heads} * c.d_kv) + " is larger than " +
                     std::to_string(1 << 24));
  c.num_decoder_layers = object.contains("num_decoder_layers") && !object["num_decoder_layers"].is_null()
                             ? positive_int(object, "num_decoder_layers", source)
                             : c.num_layers;
  if (object.contains("relative_attention_num_buckets"))
    c.relative_attention_num_buckets = positive_int(object, "relative_attention_num_buckets", source);
  if (object.contains("relative_attention_max_distance"))
    c.relative_attention_max_distance = positive_int(object, "relative_attention_max_distance", source);
  if (c.relative_attention_num_buckets < 4)
    fail(source, "field 'relative_attention_num_buckets' must be at least 4, got " +
                     std::to_string(c.relative_attention_num_buckets));
  double eps = optional_number(object, "layer_norm_epsilon", 1e-6, source);
  // Also as the float it is stored as: a double below float's range (1e-50) rounds to 0.
  if (!(eps > 0 && eps < 1 && static_cast<float>(eps) > 0))
    fail(source, "field 'layer_norm_epsilon' must be in (0, 1), got " + std::to_string(eps));
  c.layer_norm_epsilon = static_cast<float>(eps);
  c.feed_forward_proj = optional_string(object, "feed_forward_proj", "relu", source);
  parse_feed_forward(c, source);
  c.tie_word_embeddings = optional_bool(object, "tie_word_embeddings", true, source);
  c.scale_decoder_outputs = optional_bool(object, "scale_decoder_outputs", c.tie_word_embeddings, source);
  c.pad_token_id = token_id(object, "pad_token_id", 0, source);
  c.eos_token_id = token_id(object, "eos_token_id", 1, source);
  c.decoder_start_token_id = token_id(object, "decoder_start_token_id", c.pad_token_id, source);
  for (int id : {c.pad_token_id, c.eos_token_id, c.decoder_start_token_id})
    if (id >= c.vocab_size)
      fail(source, "special token id " + std::to_string(id) + " is outside the vocabulary of " +
                       std::to_string(c.vocab_size));
  if (object.contains("n_positions")) c.max_input_tokens = positive_int(object, "n_positions", source);
  return c;
}

T5Config load_config(const std::string& path) { return parse_config(read_json_file(path), path); }

}  // namespace t5
