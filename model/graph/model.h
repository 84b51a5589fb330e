#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "graph/position_bias.h"
#include "graph/weight_store.h"
#include "io/config.h"
#include "kernels/weight_matrix.h"
#include "tokenizer/tokenizer.h"

namespace t5 {

struct AttentionWeights {
  const float* norm = nullptr;
  WeightMatrix qkv;  // self-attention: [q; k; v] rows, [3 * inner, d_model]
  WeightMatrix q;    // cross-attention: [inner, d_model]
  WeightMatrix kv;   // cross-attention: [k; v] rows, [2 * inner, d_model]
  WeightMatrix out;  // [d_model, inner]
};

struct FeedForwardWeights {
  const float* norm = nullptr;
  WeightMatrix in;  // gated: [wi_0; wi_1] rows, [2 * d_ff, d_model]; otherwise wi, [d_ff, d_model]
  WeightMatrix out;  // [d_model, d_ff]
};

struct EncoderLayer {
  AttentionWeights attention;
  FeedForwardWeights ffn;
};

struct DecoderLayer {
  AttentionWeights self_attention;
  AttentionWeights cross_attention;
  FeedForwardWeights ffn;
};

struct LoadOptions {
  WeightType weights = WeightType::F32;  // how the projection matrices are kept in memory
};

// A T5 model: config, weights (a WeightStore, packed at load) and, when the directory has one, the tokenizer.
class Model {
 public:
  // A HuggingFace directory: config.json, model.safetensors or an index with shards, spiece.model.
  static std::unique_ptr<Model> load(const std::string& directory, const LoadOptions& options);
  // Seeded random weights of the scale transformers initializes them with, for a config.json path or a
  // built-in FLAN-T5 name ("flan-t5-base": io/builtin_configs.h).
  static std::unique_ptr<Model> synthetic(const std::string& config, uint64_t seed, const LoadOptions& options);

  const T5Config& config() const { return config_; }
  const std::string& name() const { return name_; }
  const std::string& stored_dtype() const { return stored_dtype_; }  // "BF16", "F32", "synthetic"
  WeightType weight_type() const { return weight_type_; }
  const Tokenizer* tokenizer() const { return tokenizer_.get(); }
  void set_tokenizer(std::unique_ptr<Tokenizer> tokenizer) { tokenizer_ = std::move(tokenizer); }
  const WeightStore& store() const { return store_; }

  // Bytes of weights one decode step reads once cross-attention K/V are cached (the bandwidth floor),
  // and the multiply-adds of the encoder's projections per input token.
  uint64_t decode_step_weight_bytes() const;
  uint64_t encoder_macs_per_token() const;

  const float* embedding = nullptr;  // [vocab, d_model], fp32
  WeightMatrix lm_head;
  PositionBias encoder_bias;
  PositionBias decoder_bias;
  std::vector<EncoderLayer> encoder;
  const float* encoder_final_norm = nullptr;
  std::vector<DecoderLayer> decoder;
  const float* decoder_final_norm = nullptr;

 private:
  Model() = default;
  void bind_views();
  void convert_matrices(WeightType type);

  T5Config config_;
  std::string name_;
  std::string stored_dtype_;
  WeightType weight_type_ = WeightType::F32;
  WeightStore store_;
  std::unique_ptr<Tokenizer> tokenizer_;
};

}  // namespace t5
