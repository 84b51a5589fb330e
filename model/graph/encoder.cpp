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

// Self-attention of every sequence from the packed qkv rows into context. Materialized: each sequence's
// [heads, L, L] bias (bias_materialized, one block per sequence in turn) and score matrices; fused: the
// per-distance table shared by all sequences.
void self_attention(Exec& exec, const T5Config& c, const float* qkv, const std::vector<int>& lengths,
                    const float* bias_materialized, const PositionBias::Table& bias_table, EncoderWorkspace& ws,
                    float* context) {
  const int inner = c.inner_dim(), heads = c.num_heads;
  struct Task {
    AttentionArgs args;
    int head, q_begin, q_end;
    size_t scratch;  // offset of this head's score block or transposed keys
    const float* bias;
  };
  std::vector<Task> tasks;
  size_t row = 0, scratch = 0, bias_offset = 0;
  for (const int length : lengths) {
    const float* q = qkv + row * 3 * inner;
    const AttentionArgs args{q, 3 * inner, q + inner, 3 * inner, q + 2 * inner, 3 * inner, context + row * inner, inner,
                             length, length, heads, c.d_kv};
    const size_t per_head = exec.switches.fused_attention
                                ? static_cast<size_t>(c.d_kv) * ((length + 15) / 16 * 16)
                                : static_cast<size_t>(length) * length;
    for (int h = 0; h < heads; ++h) {
      if (!exec.switches.fused_attention) {
        tasks.push_back({args, h, 0, length, scratch, bias_materialized + bias_offset + per_head * h});
      } else {
        for (int q0 = 0; q0 < length; q0 += kQueriesPerTask)
          tasks.push_back({args, h, q0, std::min(length, q0 + kQueriesPerTask), scratch, nullptr});
      }
      scratch += per_head;
    }
    bias_offset += per_head * heads;
    row += static_cast<size_t>(length);
  }
  if (!exec.switches.fused_attention) {
    ws.scores.at_least(scratch);
    ws.probabilities.at_least(scratch);
    exec.pool.run(static_cast<int>(tasks.size()), [&](int t) {
      const Task& task = tasks[static_cast<size_t>(t)];
      attention_materialized(task.args, task.head, task.bias, ws.scores.data() + task.scratch,
                             ws.probabilities.data() + task.scratch);
    });
    return;
  }
  ws.keys_transposed.at_least(scratch);
  exec.pool.run(static_cast<int>(tasks.size()), [&](int t) {  // each head's keys once: its first query block
    const Task& task = tasks[static_cast<size_t>(t)];
    if (task.q_begin == 0)
      transpose_keys(task.args, task.head, ws.keys_transposed.data() + task.scratch, (task.args.lk + 15) / 16 * 16);
  });
  const DistanceBias bias{bias_table.center(), bias_table.head_stride, 0};
  exec.pool.run(static_cast<int>(tasks.size()), [&](int t) {
    const Task& task = tasks[static_cast<size_t>(t)];
    attention_fused(task.args, task.head, task.q_begin, task.q_end, ws.keys_transposed.data() + task.scratch,
                    (task.args.lk + 15) / 16 * 16, &bias);
  });
}

}  // namespace

void encode(Exec& exec, const Model& model, const int32_t* ids, const std::vector<int>& lengths, EncoderWorkspace& ws,
            float* hidden) {
  const T5Config& c = model.config();
  const int d = c.d_model, inner = c.inner_dim(), ff = c.d_ff;
  size_t rows = 0;
  int longest = 0;
  for (const int length : lengths) {
    rows += static_cast<size_t>(length);
    longest = std::max(longest, length);
  }
  const int total = static_cast<int>(rows);
  ws.h.resize(std::max(ws.h.size(), rows * d));
  ws.qkv.resize(std::max(ws.qkv.size(), rows * 3 * inner));
  ws.context.resize(std::max(ws.context.size(), rows * inner));
  ws.ffn_scratch.resize(std::max(ws.ffn_scratch.size(), rows * 2 * ff));
  ws.ffn.resize(std::max(ws.ffn.size(), rows * ff));
  float* x = hidden;  // the residual stream lives in the output buffer

  {
    OpTimer timer(exec, OpKind::Embedding);
    for (size_t i = 0; i < rows; ++i)
      std::memcpy(x + i * d, model.embedding + static_cast<size_t>(ids[i]) * d, d * sizeof(float));
  }
  // The bias of block 0 serves every block: transformers computes it once per forward pass.
  PositionBias::Table table;
  {
    OpTimer timer(exec, OpKind::Attention);
    if (exec.switches.fused_attention) {
      table = model.encoder_bias.table(-(longest - 1), longest - 1);
    } else {
      size_t size = 0;
      for (const int length : lengths) size += static_cast<size_t>(c.num_heads) * length * length;
      ws.bias.resize(std::max(ws.bias.size(), size));
      size_t offset = 0;
      for (const int length : lengths) {
        model.encoder_bias.materialize(0, length, length, ws.bias.data() + offset);
        offset += static_cast<size_t>(c.num_heads) * length * length;
      }
    }
  }

  for (int l = 0; l < c.num_layers; ++l) {
    const EncoderLayer& layer = model.encoder[static_cast<size_t>(l)];
    norm_rows(exec, x, layer.attention.norm, c.layer_norm_epsilon, total, d, ws.h.data());
    {
      OpTimer timer(exec, OpKind::Attention);
      linear_parts(exec, Phase::Encode, ws.h.data(), d, total, layer.attention.qkv, 3, ws.qkv.data());
      self_attention(exec, c, ws.qkv.data(), lengths, ws.bias.data(), table, ws, ws.context.data());
      linear(exec, Phase::Encode, ws.context.data(), inner, total, layer.attention.out, x, d, true);
    }
    norm_rows(exec, x, layer.ffn.norm, c.layer_norm_epsilon, total, d, ws.h.data());
    {
      OpTimer timer(exec, OpKind::FeedForward);
      feed_forward_in(exec, Phase::Encode, ws.h.data(), total, layer.ffn.in, c.gated, c.activation,
                      ws.ffn_scratch.data(), ws.ffn.data());
      linear(exec, Phase::Encode, ws.ffn.data(), ff, total, layer.ffn.out, x, d, true);
    }
    exec.trace_layer("encoder.block.", l, ".out", x, total, d);
  }
  norm_rows(exec, x, model.encoder_final_norm, c.layer_norm_epsilon, total, d, x);
  exec.trace("encoder.final_layer_norm.out", x, total, d);
}

}  // namespace t5
