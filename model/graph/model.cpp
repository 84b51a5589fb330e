#include "graph/model.h"

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/error.h"
#include "core/half.h"
#include "io/builtin_configs.h"
#include "io/checkpoint.h"
#include "kernels/quantize.h"

namespace t5 {

namespace {

// One tensor of the store and the checkpoint tensors stacked (by rows) into it.
struct Source {
  std::string name;
  std::vector<int64_t> shape;
  float init_std;  // transformers' T5 initialization, for synthetic weights
};
struct Packed {
  std::string name;
  std::vector<Source> sources;
  bool projection;  // a matrix the kernels multiply with (kept in the chosen weight type)
};

std::vector<Packed> weight_plan(const T5Config& c) {
  const int64_t d = c.d_model, inner = c.inner_dim(), ff = c.d_ff, vocab = c.vocab_size;
  const float s_model = static_cast<float>(std::pow(d, -0.5)), s_q = static_cast<float>(std::pow(d * c.d_kv, -0.5)),
              s_o = static_cast<float>(std::pow(inner, -0.5)), s_ff = static_cast<float>(std::pow(ff, -0.5));
  std::vector<Packed> plan;
  auto vec = [&](const std::string& name, const std::string& hf) { plan.push_back({name, {{hf, {d}, 1.0f}}, false}); };
  auto attention_self = [&](const std::string& name, const std::string& hf) {
    plan.push_back({name + ".qkv",
                    {{hf + ".q.weight", {inner, d}, s_q}, {hf + ".k.weight", {inner, d}, s_model},
                     {hf + ".v.weight", {inner, d}, s_model}},
                    true});
    plan.push_back({name + ".out", {{hf + ".o.weight", {d, inner}, s_o}}, true});
  };
  auto ffn = [&](const std::string& name, const std::string& hf) {
    if (c.gated)
      plan.push_back({name + ".in", {{hf + ".wi_0.weight", {ff, d}, s_model}, {hf + ".wi_1.weight", {ff, d}, s_model}}, true});
    else
      plan.push_back({name + ".in", {{hf + ".wi.weight", {ff, d}, s_model}}, true});
    plan.push_back({name + ".out", {{hf + ".wo.weight", {d, ff}, s_ff}}, true});
  };
  const int64_t buckets = c.relative_attention_num_buckets, heads = c.num_heads;

  plan.push_back({"shared", {{"shared.weight", {vocab, d}, 1.0f}}, false});
  for (int i = 0; i < c.num_layers; ++i) {
    const std::string name = "encoder." + std::to_string(i), hf = "encoder.block." + std::to_string(i);
    vec(name + ".attention.norm", hf + ".layer.0.layer_norm.weight");
    attention_self(name + ".attention", hf + ".layer.0.SelfAttention");
    vec(name + ".ffn.norm", hf + ".layer.1.layer_norm.weight");
    ffn(name + ".ffn", hf + ".layer.1.DenseReluDense");
  }
  plan.push_back({"encoder.position_bias",
                  {{"encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight", {buckets, heads}, s_model}},
                  false});
  vec("encoder.final_norm", "encoder.final_layer_norm.weight");
  for (int i = 0; i < c.num_decoder_layers; ++i) {
    const std::string name = "decoder." + std::to_string(i), hf = "decoder.block." + std::to_string(i);
    vec(name + ".self_attention.norm", hf + ".layer.0.layer_norm.weight");
    attention_self(name + ".self_attention", hf + ".layer.0.SelfAttention");
    const std::string cross = hf + ".layer.1.EncDecAttention";
    vec(name + ".cross_attention.norm", hf + ".layer.1.layer_norm.weight");
    plan.push_back({name + ".cross_attention.q", {{cross + ".q.weight", {inner, d}, s_q}}, true});
    plan.push_back({name + ".cross_attention.kv",
                    {{cross + ".k.weight", {inner, d}, s_model}, {cross + ".v.weight", {inner, d}, s_model}},
                    true});
    plan.push_back({name + ".cross_attention.out", {{cross + ".o.weight", {d, inner}, s_o}}, true});
    vec(name + ".ffn.norm", hf + ".layer.2.layer_norm.weight");
    ffn(name + ".ffn", hf + ".layer.2.DenseReluDense");
  }
  plan.push_back({"decoder.position_bias",
                  {{"decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight", {buckets, heads}, s_model}},
                  false});
  vec("decoder.final_norm", "decoder.final_layer_norm.weight");
  if (!c.tie_word_embeddings) plan.push_back({"lm_head", {{"lm_head.weight", {vocab, d}, 1.0f}}, true});
  return plan;
}

std::vector<int64_t> stacked_shape(const Packed& p) {
  std::vector<int64_t> shape = p.sources[0].shape;
  for (size_t i = 1; i < p.sources.size(); ++i) shape[0] += p.sources[i].shape[0];
  return shape;
}

std::string shape_string(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

uint64_t elements(const std::vector<int64_t>& shape) {
  uint64_t n = 1;
  for (int64_t d : shape) n *= static_cast<uint64_t>(d);
  return n;
}

std::string base_name(const std::string& path) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  size_t slash = p.find_last_of('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

// xoshiro256** seeded through splitmix64: fast, and the same stream on every platform.
class Random {
 public:
  explicit Random(uint64_t seed) {
    for (uint64_t& s : state_) {
      seed += 0x9e3779b97f4a7c15ull;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
      s = z ^ (z >> 31);
    }
  }
  // Uniform in [-1, 1).
  float symmetric() {
    const uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return static_cast<float>(static_cast<int64_t>(result) >> 40) * (1.0f / 8388608.0f);
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t state_[4];
};

// A NaN or Inf weight poisons every output it reaches (and int8 has no scale for it): refuse it at load.
void require_finite(const float* values, uint64_t count, const std::string& file, const std::string& tensor) {
  for (uint64_t i = 0; i < count; ++i)
    if (!std::isfinite(values[i]))
      fail(file, "tensor '" + tensor + "' holds " + (std::isnan(values[i]) ? "NaN" : "Inf") + " at element " +
                     std::to_string(i) + ": not a usable weight");
}

}  // namespace

std::unique_ptr<Model> Model::load(const std::string& directory, const LoadOptions& options) {
  std::unique_ptr<Model> model(new Model());
  model->config_ = load_config(directory + "/config.json");
  model->name_ = base_name(directory);
  Checkpoint checkpoint(directory);
  model->stored_dtype_ = checkpoint.dominant_dtype();
  const T5Config& c = model->config_;
  for (const Packed& packed : weight_plan(c)) {
    WeightStore::Tensor& tensor = model->store_.add(packed.name, stacked_shape(packed), WeightType::F32);
    float* out = reinterpret_cast<float*>(tensor.bytes.data());
    for (const Source& source : packed.sources) {
      const Checkpoint::Entry* entry = checkpoint.find(source.name);
      if (!entry && source.name == "shared.weight") entry = checkpoint.find("encoder.embed_tokens.weight");
      if (!entry) fail(directory, "tensor '" + source.name + "' is missing from the checkpoint");
      if (entry->info->shape != source.shape)
        fail(entry->file->path(), "tensor '" + source.name + "' has shape " + entry->info->shape_string() +
                                      " but config.json implies " + shape_string(source.shape));
      read_tensor_f32(*entry->file, *entry->info, out);
      require_finite(out, elements(source.shape), entry->file->path(), source.name);
      out += elements(source.shape);
    }
  }
  const std::string spiece = directory + "/spiece.model";
  struct stat st;
  if (::stat(spiece.c_str(), &st) == 0)
    model->tokenizer_ = std::make_unique<Tokenizer>(spiece, c.eos_token_id, c.pad_token_id, c.vocab_size);
  model->convert_matrices(options.weights);
  model->bind_views();
  return model;
}

std::unique_ptr<Model> Model::synthetic(const std::string& config, uint64_t seed, const LoadOptions& options) {
  std::unique_ptr<Model> model(new Model());
  const std::string builtin = builtin_config(config);
  model->config_ = builtin.empty() ? load_config(config) : parse_config(parse_json(builtin, config), config);
  std::string name = base_name(config);
  if (name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0) name.resize(name.size() - 5);
  model->name_ = "synthetic:" + name;  // the same name for a built-in shape and its published config.json
  model->stored_dtype_ = "synthetic";
  Random random(seed);
  for (const Packed& packed : weight_plan(model->config_)) {
    WeightStore::Tensor& tensor = model->store_.add(packed.name, stacked_shape(packed), WeightType::F32);
    float* out = reinterpret_cast<float*>(tensor.bytes.data());
    for (const Source& source : packed.sources) {
      const uint64_t n = elements(source.shape);
      const bool is_norm = source.shape.size() == 1;
      const float amplitude = source.init_std * std::sqrt(3.0f);  // uniform with the given standard deviation
      for (uint64_t i = 0; i < n; ++i) out[i] = is_norm ? 1.0f : amplitude * random.symmetric();
      out += n;
    }
  }
  model->convert_matrices(options.weights);
  model->bind_views();
  return model;
}

void Model::convert_matrices(WeightType type) {
  weight_type_ = type;
  if (type == WeightType::F32) return;
  std::vector<std::string> names;
  for (const Packed& packed : weight_plan(config_))
    if (packed.projection) names.push_back(packed.name);
  if (config_.tie_word_embeddings) {  // the head gets its own copy in the reduced type; rows stay fp32 for lookups
    const WeightStore::Tensor& shared = store_.get("shared");
    WeightStore::Tensor& head = store_.add("lm_head", shared.shape, WeightType::F32);
    std::memcpy(head.bytes.data(), shared.bytes.data(), shared.bytes.size());
    names.push_back("lm_head");
  }
  for (const std::string& name : names) {
    const WeightStore::Tensor& source = store_.get(name);
    const int64_t rows = source.shape[0], cols = source.shape[1];
    const float* values = reinterpret_cast<const float*>(source.bytes.data());
    WeightStore converted;
    WeightStore::Tensor& target = converted.add(name, source.shape, type);
    for (int64_t r = 0; r < rows; ++r) {
      const float* row = values + r * cols;
      if (type == WeightType::BF16) {
        uint16_t* dst = reinterpret_cast<uint16_t*>(target.bytes.data()) + r * cols;
        for (int64_t k = 0; k < cols; ++k) dst[k] = f32_to_bf16(row[k]);
      } else {
        quantize_int8_row(row, static_cast<int>(cols), reinterpret_cast<int8_t*>(target.bytes.data()) + r * cols,
                          target.scales.data() + static_cast<size_t>(r) * int8_groups(static_cast<int>(cols)));
      }
    }
    WeightStore::Tensor& slot = store_.get_mutable(name);
    slot = std::move(target);
  }
}

void Model::bind_views() {
  const T5Config& c = config_;
  embedding = store_.vector("shared");
  lm_head = store_.contains("lm_head") ? store_.matrix("lm_head") : store_.matrix("shared");
  encoder_bias = {store_.vector("encoder.position_bias"), c.num_heads, c.relative_attention_num_buckets,
                  c.relative_attention_max_distance, true};
  decoder_bias = {store_.vector("decoder.position_bias"), c.num_heads, c.relative_attention_num_buckets,
                  c.relative_attention_max_distance, false};
  encoder.assign(static_cast<size_t>(c.num_layers), {});
  for (int i = 0; i < c.num_layers; ++i) {
    const std::string p = "encoder." + std::to_string(i);
    EncoderLayer& layer = encoder[static_cast<size_t>(i)];
    layer.attention.norm = store_.vector(p + ".attention.norm");
    layer.attention.qkv = store_.matrix(p + ".attention.qkv");
    layer.attention.out = store_.matrix(p + ".attention.out");
    layer.ffn.norm = store_.vector(p + ".ffn.norm");
    layer.ffn.in = store_.matrix(p + ".ffn.in");
    layer.ffn.out = store_.matrix(p + ".ffn.out");
  }
  encoder_final_norm = store_.vector("encoder.final_norm");
  decoder.assign(static_cast<size_t>(c.num_decoder_layers), {});
  for (int i = 0; i < c.num_decoder_layers; ++i) {
    const std::string p = "decoder." + std::to_string(i);
    DecoderLayer& layer = decoder[static_cast<size_t>(i)];
    layer.self_attention.norm = store_.vector(p + ".self_attention.norm");
    layer.self_attention.qkv = store_.matrix(p + ".self_attention.qkv");
    layer.self_attention.out = store_.matrix(p + ".self_attention.out");
    layer.cross_attention.norm = store_.vector(p + ".cross_attention.norm");
    layer.cross_attention.q = store_.matrix(p + ".cross_attention.q");
    layer.cross_attention.kv = store_.matrix(p + ".cross_attention.kv");
    layer.cross_attention.out = store_.matrix(p + ".cross_attention.out");
    layer.ffn.norm = store_.vector(p + ".ffn.norm");
    layer.ffn.in = store_.matrix(p + ".ffn.in");
    layer.ffn.out = store_.matrix(p + ".ffn.out");
  }
  decoder_final_norm = store_.vector("decoder.final_norm");
}

uint64_t Model::decode_step_weight_bytes() const {
  uint64_t bytes = lm_head.bytes();
  for (const DecoderLayer& layer : decoder)
    bytes += layer.self_attention.qkv.bytes() + layer.self_attention.out.bytes() + layer.cross_attention.q.bytes() +
             layer.cross_attention.out.bytes() + layer.ffn.in.bytes() + layer.ffn.out.bytes() +
             3ull * config_.d_model * sizeof(float);
  return bytes;
}

uint64_t Model::encoder_macs_per_token() const {
  uint64_t macs = 0;
  for (const EncoderLayer& layer : encoder)
    macs += static_cast<uint64_t>(layer.attention.qkv.rows) * layer.attention.qkv.cols +
            static_cast<uint64_t>(layer.attention.out.rows) * layer.attention.out.cols +
            static_cast<uint64_t>(layer.ffn.in.rows) * layer.ffn.in.cols +
            static_cast<uint64_t>(layer.ffn.out.rows) * layer.ffn.out.cols;
  return macs;
}

}  // namespace t5
