// Attention at flan-t5-base's head shape (12 heads x 64), single-threaded so the kernels are compared,
// not the pool: one encoder layer's self-attention (materialized scores vs fused online softmax) and one
// decode step's attention against a cache of keys.
#include <string>
#include <vector>

#include "fixtures.h"
#include "graph/position_bias.h"
#include "kernels/attention.h"

namespace t5::micro {

namespace {

constexpr int kEncoderLengths[] = {32, 128, 512};
constexpr int kDecodeCacheLengths[] = {1, 8, 32, 128, 512};

// One layer's self-attention operands for `length` tokens: the packed Q|K|V rows [length, 3 * inner] as
// the encoder's fused projection leaves them, the context rows [length, inner] and a random bias
// embedding [buckets, heads].
struct EncoderAttentionInputs {
  EncoderAttentionInputs(const T5Config& config, int length)
      : c(config),
        length(length),
        qkv(random_floats(static_cast<size_t>(length) * 3 * c.inner_dim(), 1)),
        context(static_cast<size_t>(length) * c.inner_dim()),
        bias_embedding(random_floats(static_cast<size_t>(c.relative_attention_num_buckets) * c.num_heads, 2)) {}

  AttentionArgs args() {
    const int inner = c.inner_dim();
    const float* q = qkv.data();
    return {q, 3 * inner, q + inner, 3 * inner, q + 2 * inner, 3 * inner, context.data(), inner,
            length, length, c.num_heads, c.d_kv};
  }
  PositionBias bias() const {
    return {bias_embedding.data(), c.num_heads, c.relative_attention_num_buckets, c.relative_attention_max_distance,
            true};
  }
  // Multiply-adds of q·kᵀ and p·v over all heads, two FLOPs each.
  double flops() const { return 4.0 * c.num_heads * length * length * c.d_kv; }

  const T5Config c;
  const int length;
  std::vector<float> qkv, context, bias_embedding;
};

// The baseline: the [heads, L, L] bias, then per head the score matrix, a softmax pass and sgemm with v.
void encoder_attention_materialized(benchmark::State& state, const T5Config& c, int length) {
  EncoderAttentionInputs in(c, length);
  const AttentionArgs args = in.args();
  const PositionBias bias = in.bias();
  const size_t per_head = static_cast<size_t>(length) * length;
  std::vector<float> bias_values(per_head * c.num_heads), probabilities(per_head);
  std::vector<double> scores(per_head);
  for (auto _ : state) {
    bias.materialize(0, length, length, bias_values.data());
    for (int h = 0; h < c.num_heads; ++h)
      attention_materialized(args, h, bias_values.data() + per_head * h, scores.data(), probabilities.data());
    benchmark::ClobberMemory();
  }
  set_rates(state, in.flops());
}

// Fused: the per-distance bias table, then per head its keys transposed and one online-softmax pass.
void encoder_attention_fused(benchmark::State& state, const T5Config& c, int length) {
  EncoderAttentionInputs in(c, length);
  const AttentionArgs args = in.args();
  const PositionBias bias = in.bias();
  const int lk_stride = (length + 15) / 16 * 16;  // as the encoder pads it
  std::vector<float> keys_transposed(static_cast<size_t>(c.d_kv) * lk_stride);
  for (auto _ : state) {
    const PositionBias::Table table = bias.table(-(length - 1), length - 1);
    const DistanceBias distance{table.center(), table.head_stride, 0};
    for (int h = 0; h < c.num_heads; ++h) {
      transpose_keys(args, h, keys_transposed.data(), lk_stride);
      attention_fused(args, h, 0, length, keys_transposed.data(), lk_stride, &distance);
    }
    benchmark::ClobberMemory();
  }
  set_rates(state, in.flops());
}

// One query row against `keys` cached key and value rows, all heads, with a bias row per head.
void decode_attention(benchmark::State& state, const T5Config& c, int keys) {
  const int inner = c.inner_dim();
  const std::vector<float> q = random_floats(inner, 1);
  const std::vector<float> key_cache = random_floats(static_cast<size_t>(keys) * inner, 2);
  const std::vector<float> value_cache = random_floats(static_cast<size_t>(keys) * inner, 3);
  const std::vector<float> bias = random_floats(static_cast<size_t>(c.num_heads) * keys, 4);
  std::vector<const float*> key_rows(keys), value_rows(keys);
  for (int j = 0; j < keys; ++j) {
    key_rows[j] = key_cache.data() + static_cast<size_t>(j) * inner;
    value_rows[j] = value_cache.data() + static_cast<size_t>(j) * inner;
  }
  std::vector<double> scores(keys);
  std::vector<float> out(inner);
  for (auto _ : state) {
    attention_decode(q.data(), key_rows.data(), value_rows.data(), keys, 0, c.num_heads, c.d_kv, bias.data(), keys,
                     scores.data(), out.data());
    benchmark::ClobberMemory();
  }
  set_rates(state, 4.0 * c.num_heads * keys * c.d_kv, 2.0 * keys * inner * sizeof(float));
}

}  // namespace

void register_attention_benchmarks() {
  const T5Config base = builtin_shape("flan-t5-base");
  for (const int length : kEncoderLengths) {
    const std::string suffix = "/L:" + std::to_string(length);
    add_benchmark("BM_EncoderAttention/base/materialized" + suffix,
                  [=](benchmark::State& state) { encoder_attention_materialized(state, base, length); });
    add_benchmark("BM_EncoderAttention/base/fused" + suffix,
                  [=](benchmark::State& state) { encoder_attention_fused(state, base, length); });
  }
  for (const int keys : kDecodeCacheLengths)
    add_benchmark("BM_DecodeAttention/base/keys:" + std::to_string(keys),
                  [=](benchmark::State& state) { decode_attention(state, base, keys); });
}

}  // namespace t5::micro
