#include "graph/decoder.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "graph/linear.h"
#include "kernels/attention.h"
#include "kernels/norm.h"

namespace t5 {

namespace {

void norm_rows(Exec& exec, const float* x, const float* weight, float eps, int rows, int cols, float* out) {
  OpTimer timer(exec, OpKind::Norm);
  rms_norm_rows(x, cols, weight, eps, rows, cols, out, cols);
}

// Cross-attention K|V of `needed` sequences for one layer: one product per run of sequences whose encoder
// rows lie back to back (all of them, for a batch encoded together).
void compute_cross_kv(Exec& exec, const Model& model, DecoderState& state, int layer, const std::vector<bool>& needed) {
  OpTimer timer(exec, OpKind::CrossKV);
  const WeightMatrix& kv = model.decoder[static_cast<size_t>(layer)].cross_attention.kv;
  float* out = state.cross_kv[static_cast<size_t>(layer)].data();
  const size_t count = state.sequences.size();
  for (size_t s = 0; s < count;) {
    if (!needed[s]) {
      ++s;
      continue;
    }
    size_t end = s + 1;
    int rows = state.sequences[s].length;
    while (end < count && needed[end] &&
           state.sequences[end].hidden == state.sequences[end - 1].hidden +
                                              static_cast<size_t>(state.sequences[end - 1].length) * kv.cols) {
      rows += state.sequences[end].length;
      ++end;
    }
    linear_parts(exec, Phase::Encode, state.sequences[s].hidden, kv.cols, rows, kv, 2,
                 out + state.sequence_offsets[s] * kv.rows);
    s = end;
  }
}

// Fills the key and value row pointers row i attends to and returns how many there are.
using GatherRows = std::function<int(int i, const float** keys, const float** values)>;

// Single-query attention for `count` rows; the heads of a row are split across the pool when there are
// fewer rows than threads.
void attend(Exec& exec, const T5Config& c, const float* q, int ld_q, int count, int max_keys, const float* bias_row,
            int bias_stride, const GatherRows& gather, float* context) {
  const int inner = c.inner_dim();
  const int threads = exec.pool.num_threads();
  const int head_chunks = count >= threads ? 1 : std::min(c.num_heads, threads);
  exec.pool.run(count * head_chunks, [&](int task) {
    const int i = task / head_chunks, chunk = task % head_chunks;
    const int h0 = c.num_heads * chunk / head_chunks, h1 = c.num_heads * (chunk + 1) / head_chunks;
    thread_local std::vector<const float*> key_rows, value_rows;
    thread_local std::vector<double> scores;
    key_rows.resize(static_cast<size_t>(max_keys));
    value_rows.resize(static_cast<size_t>(max_keys));
    scores.resize(static_cast<size_t>(max_keys));
    const int keys = gather(i, key_rows.data(), value_rows.data());
    attention_decode(q + static_cast<size_t>(i) * ld_q, key_rows.data(), value_rows.data(), keys, h0, h1, c.d_kv,
                     bias_row, bias_stride, scores.data(), context + static_cast<size_t>(i) * inner);
  });
}

}  // namespace

void start_decoding(Exec& exec, const Model& model, DecoderState& state, std::vector<EncodedSequence> sequences,
                    std::vector<int> sequence_of_row, int capacity) {
  const T5Config& c = model.config();
  state.rows = static_cast<int>(sequence_of_row.size());
  state.position = 0;
  state.sequences = std::move(sequences);
  state.sequence_of_row = std::move(sequence_of_row);
  state.sequence_offsets.clear();
  size_t encoded_rows = 0;
  for (const EncodedSequence& seq : state.sequences) {
    state.sequence_offsets.push_back(encoded_rows);
    encoded_rows += static_cast<size_t>(seq.length);
  }
  state.self_cache.start(c.num_decoder_layers, state.rows, c.inner_dim(), capacity, exec.switches.preallocated_kv);
  state.cross_kv.resize(static_cast<size_t>(c.num_decoder_layers));
  for (AlignedBuffer<float>& kv : state.cross_kv) kv.at_least(encoded_rows * 2 * c.inner_dim());
  if (exec.switches.preallocated_kv) {
    const std::vector<bool> all(state.sequences.size(), true);
    for (int l = 0; l < c.num_decoder_layers; ++l) compute_cross_kv(exec, model, state, l, all);
  }
  if (exec.switches.fused_attention) {
    OpTimer timer(exec, OpKind::Attention);
    state.self_bias = model.decoder_bias.table(-(capacity - 1), 0);
  }
}

void decode_step(Exec& exec, const Model& model, DecoderState& state, const int32_t* tokens, const int* rows,
                 int count, float* logits) {
  const T5Config& c = model.config();
  const int d = c.d_model, inner = c.inner_dim(), ff = c.d_ff;
  const int position = state.position, keys = position + 1;
  const size_t n = static_cast<size_t>(count);
  float* x = state.x.at_least(n * d);
  float* h = state.h.at_least(n * d);
  float* qkv = state.qkv.at_least(n * 3 * inner);
  float* context = state.context.at_least(n * inner);
  state.ffn_scratch.at_least(n * 2 * ff);
  state.ffn.at_least(n * ff);

  {
    OpTimer timer(exec, OpKind::Embedding);
    for (size_t i = 0; i < n; ++i)
      std::memcpy(x + i * d, model.embedding + static_cast<size_t>(tokens[i]) * d, d * sizeof(float));
  }
  const float* self_bias;
  int self_bias_stride;
  {
    OpTimer timer(exec, OpKind::Attention);
    if (exec.switches.fused_attention) {
      self_bias = state.self_bias.center() - position;  // key j sits at distance j - position
      self_bias_stride = state.self_bias.head_stride;
    } else {  // as transformers does: this step's bias row from the buckets, every step
      float* step_bias = state.step_bias.at_least(static_cast<size_t>(c.num_heads) * keys);
      model.decoder_bias.materialize(position, 1, keys, step_bias);
      self_bias = step_bias;
      self_bias_stride = keys;
    }
  }
  int max_encoded = 0;
  for (const EncodedSequence& seq : state.sequences) max_encoded = std::max(max_encoded, seq.length);

  for (int l = 0; l < c.num_decoder_layers; ++l) {
    const DecoderLayer& layer = model.decoder[static_cast<size_t>(l)];
    norm_rows(exec, x, layer.self_attention.norm, c.layer_norm_epsilon, count, d, h);
    {
      OpTimer timer(exec, OpKind::Attention);
      linear_parts(exec, Phase::Decode, h, d, count, layer.self_attention.qkv, 3, qkv);
      for (size_t i = 0; i < n; ++i) {
        const float* row = qkv + i * 3 * inner;
        std::memcpy(state.self_cache.key_slot(l, rows[i], position), row + inner, inner * sizeof(float));
        std::memcpy(state.self_cache.value_slot(l, rows[i], position), row + 2 * inner, inner * sizeof(float));
      }
      attend(exec, c, qkv, 3 * inner, count, keys, self_bias, self_bias_stride,
             [&](int i, const float** key_rows, const float** value_rows) {
               state.self_cache.gather(l, rows[i], keys, key_rows, value_rows);
               return keys;
             },
             context);
      linear(exec, Phase::Decode, context, inner, count, layer.self_attention.out, x, d, true);
    }

    norm_rows(exec, x, layer.cross_attention.norm, c.layer_norm_epsilon, count, d, h);
    if (!exec.switches.preallocated_kv) {  // the baseline projects the encoder output again at every step
      std::vector<bool> needed(state.sequences.size(), false);
      for (size_t i = 0; i < n; ++i)
        needed[static_cast<size_t>(state.sequence_of_row[static_cast<size_t>(rows[i])])] = true;
      compute_cross_kv(exec, model, state, l, needed);
    }
    {
      OpTimer timer(exec, OpKind::Attention);
      linear(exec, Phase::Decode, h, d, count, layer.cross_attention.q, qkv, inner, false);
      attend(exec, c, qkv, inner, count, max_encoded, nullptr, 0,
             [&](int i, const float** key_rows, const float** value_rows) {
               const size_t s = static_cast<size_t>(state.sequence_of_row[static_cast<size_t>(rows[i])]);
               const EncodedSequence& seq = state.sequences[s];
               const float* kv = state.cross_kv[static_cast<size_t>(l)].data() + state.sequence_offsets[s] * 2 * inner;
               for (int j = 0; j < seq.length; ++j) {
                 key_rows[j] = kv + static_cast<size_t>(j) * 2 * inner;
                 value_rows[j] = key_rows[j] + inner;
               }
               return seq.length;
             },
             context);
      linear(exec, Phase::Decode, context, inner, count, layer.cross_attention.out, x, d, true);
    }

    norm_rows(exec, x, layer.ffn.norm, c.layer_norm_epsilon, count, d, h);
    {
      OpTimer timer(exec, OpKind::FeedForward);
      feed_forward_in(exec, Phase::Decode, h, count, layer.ffn.in, c.gated, c.activation, state.ffn_scratch.data(),
                      state.ffn.data());
      linear(exec, Phase::Decode, state.ffn.data(), ff, count, layer.ffn.out, x, d, true);
    }
    exec.trace_layer("decoder.block.", l, ".out", x, count, d);
  }
  norm_rows(exec, x, model.decoder_final_norm, c.layer_norm_epsilon, count, d, h);
  exec.trace("decoder.final_layer_norm.out", h, count, d);
  if (c.scale_decoder_outputs) {  // tied heads only (T5 v1.0): the head reuses the embedding
    const float scale = static_cast<float>(std::pow(d, -0.5));
    for (size_t i = 0; i < n * d; ++i) h[i] *= scale;
  }
  {
    OpTimer timer(exec, OpKind::LmHead);
    linear(exec, Phase::Decode, h, d, count, model.lm_head, logits, model.lm_head.rows, false);
  }
  state.position = position + 1;
}

}  // namespace t5
