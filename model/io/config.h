#pragma once

#include <string>

#include "io/json_file.h"

namespace t5 {

enum class Activation { Relu, GeluTanh, GeluErf, Silu };

// The parts of a HuggingFace T5Config that define the computation.
struct T5Config {
  int vocab_size = 0;
  int d_model = 0;
  int d_kv = 0;
  int d_ff = 0;
  int num_layers = 0;
  int num_decoder_layers = 0;
  int num_heads = 0;
  int relative_attention_num_buckets = 32;
  int relative_attention_max_distance = 128;
  float layer_norm_epsilon = 1e-6f;
  std::string feed_forward_proj = "relu";
  Activation activation = Activation::Relu;
  bool gated = false;  // T5 v1.1 / FLAN-T5: wi_0 (activated) * wi_1
  bool tie_word_embeddings = true;
  bool scale_decoder_outputs = true;  // multiply the decoder output by d_model^-0.5 before the head
  int decoder_start_token_id = 0;
  int eos_token_id = 1;
  int pad_token_id = 0;
  int max_input_tokens = 512;  // n_positions when the file has it: T5 has no hard limit, tokenizers cut at 512

  int inner_dim() const { return num_heads * d_kv; }
};

// Parses a config.json object. Shape fields are required; the rest default as transformers does.
// `scale_decoder_outputs` (transformers 5) defaults to `tie_word_embeddings` (what 4.x derived from it).
T5Config parse_config(const json& object, const std::string& source);
T5Config load_config(const std::string& path);

}  // namespace t5
