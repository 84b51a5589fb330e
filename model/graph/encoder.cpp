#include "graph/encoder.h"

#include <cstring>

#include "graph/linear.h"
#include "kernels/attention.h"
#include "kernels/norm.h"

namespace t5 {

namespace {

constexpr int kQueriesPerTask = 32;

void norm_rows(Exec& exec, const float* x, const float* weight, float eps, int rows, int cols, float* out) {
  OpTimer timer(exec, OpKind::Norm);
  exec.pool.parallel_for(rows, 4, 1, [&](int begin, int end) {
    rms_norm_rows(x + static_cast<long>(begin) * cols, cols, weight, eps, end - begin, cols,
                  out + static_cast<long>(begin) * cols, cols);
  });
}

}  // namespace

void self_attention_block(Exec& exec, const T5Config& c, const float* qkv, int length, const float* bias_materialized,
                          const PositionBias::Table* bias_table, EncoderWorkspace& ws, float* context) {
  const int inner = c.inner_dim(), heads = c.num_heads;
  AttentionArgs args{qkv, 3 * inner, qkv + inner, 3 * inner, qkv + 2 * inner, 3 * inner, context, inner,
                     length, length, heads, c.d_kv};
  if (!exec.switches.fused_attention) {
    const size_t per_head = static_cast<size_t>(length) * length;
    if (ws.scores.size() < per_head * heads) ws.scores.resize(per_head * heads), ws.probabilities.resize(per_head * heads);
    exec.pool.run(heads, [&](int h) {
      attention_materialized(args, h, bias_materialized + per_head * h, ws.scores.data() + per_head * h,
                             ws.probabilities.data() + per_head * h);
    });
    return;
  }
  const int lk_stride = (length + 15) / 16 * 16;
  const size_t per_head = static_cast<size_t>(c.d_kv) * lk_stride;
  if (ws.keys_transposed.size() < per_head * heads) ws.keys_transposed.resize(per_head * heads);
  exec.pool.run(heads, [&](int h) { transpose_keys(args, h, ws.keys_transposed.data() + per_head * h, lk_stride); });
  const DistanceBias bias{bias_table->center(), bias_table->head_stride, 0};
  const int blocks = (length + kQueriesPerTask - 1) / kQueriesPerTask;
  exec.pool.run(heads * blocks, [&](int task) {
    const int h = task / blocks, block = task % blocks;
    const int q_begin = block * kQueriesPerTask, q_end = std::min(length, q_begin + kQueriesPerTask);
    attention_fused(args, h, q_begin, q_end, ws.keys_transposed.data() + per_head * h, lk_stride, &bias);
  });
}

void encode(Exec& exec, const Model& model, const int32_t* ids, int length, EncoderWorkspace& ws, float* hidden) {
  const T5Config& c = model.config();
  const int d = c.d_model, inner = c.inner_dim(), ff = c.d_ff;
  const size_t rows = static_cast<size_t>(length);
  ws.h.resize(std::max(ws.h.size(), rows * d));
  ws.qkv.resize(std::max(ws.qkv.size(), rows * 3 * inner));
  ws.context.resize(std::max(ws.context.size(), rows * inner));
  ws.ffn_scratch.resize(std::max(ws.ffn_scratch.size(), rows * 2 * ff));
  ws.ffn.resize(std::max(ws.ffn.size(), rows * ff));
  float* x = hidden;  // the residual stream lives in the output buffer

  {
    OpTimer timer(exec, OpKind::Embedding);
    for (int i = 0; i < length; ++i)
      std::memcpy(x + static_cast<size_t>(i) * d, model.embedding + static_cast<size_t>(ids[i]) * d, d * sizeof(float));
  }
  // The bias of block 0 serves every block: transformers computes it once per forward pass.
  PositionBias::Table table;
  {
    OpTimer timer(exec, OpKind::Attention);
    if (exec.switches.fused_attention) {
      table = model.encoder_bias.table(-(length - 1), length - 1);
    } else {
      ws.bias.resize(std::max(ws.bias.size(), static_cast<size_t>(c.num_heads) * rows * rows));
      model.encoder_bias.materialize(0, length, length, ws.bias.data());
    }
  }

  for (int l = 0; l < c.num_layers; ++l) {
    const EncoderLayer& layer = model.encoder[static_cast<size_t>(l)];
    norm_rows(exec, x, layer.attention.norm, c.layer_norm_epsilon, length, d, ws.h.data());
    {
      OpTimer timer(exec, OpKind::Attention);
      linear_parts(exec, Phase::Encode, ws.h.data(), d, length, layer.attention.qkv, 3, ws.qkv.data());
      self_attention_block(exec, c, ws.qkv.data(), length, ws.bias.data(), &table, ws, ws.context.data());
      linear(exec, Phase::Encode, ws.context.data(), inner, length, layer.attention.out, x, d, true);
    }
    norm_rows(exec, x, layer.ffn.norm, c.layer_norm_epsilon, length, d, ws.h.data());
    {
      OpTimer timer(exec, OpKind::FeedForward);
      feed_forward_in(exec, Phase::Encode, ws.h.data(), length, layer.ffn.in, c.gated, c.activation,
                      ws.ffn_scratch.data(), ws.ffn.data());
      linear(exec, Phase::Encode, ws.ffn.data(), ff, length, layer.ffn.out, x, d, true);
    }
    exec.trace_layer("encoder.block.", l, ".out", x, length, d);
  }
  norm_rows(exec, x, model.encoder_final_norm, c.layer_norm_epsilon, length, d, x);
  exec.trace("encoder.final_layer_norm.out", x, length, d);
}

}  // namespace t5
