// The weight products at flan-t5-small and flan-t5-base shapes: decode GEMVs (a few activation rows) and
// encoder GEMMs (128 rows), our kernels against OpenBLAS, on the calling thread alone and split by weight
// rows over a two-thread pool exactly as graph/linear.cpp splits them.
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "core/aligned_buffer.h"
#include "core/thread_pool.h"
#include "fixtures.h"
#include "graph/exec.h"
#include "graph/linear.h"
#include "kernels/gemm.h"
#include "kernels/gemm_blocked.h"
#include "kernels/gemv.h"

namespace t5::micro {

namespace {

constexpr int kPoolThreads = 2;
constexpr int kEncoderRows = 128;  // the seed condition's input length
constexpr int kBatchedDecodeRows[] = {8, 32};

// One weight matrix of a layer (or the head): [rows = out features, cols = in features].
struct Product {
  std::string name;
  int rows, cols;
};

Product feed_forward_in(const T5Config& c) { return {"wi", 2 * c.d_ff, c.d_model}; }  // wi_0 | wi_1

std::vector<Product> layer_products(const T5Config& c) {
  return {{"qkv", 3 * c.inner_dim(), c.d_model}, {"attn_out", c.d_model, c.inner_dim()}, feed_forward_in(c),
          {"wo", c.d_model, c.d_ff}};
}

// Which kernel computes a product: ours on weights of `type`, or OpenBLAS on fp32 weights.
struct Kernel {
  const char* name;
  WeightType type;
  bool ours;
};
constexpr Kernel kDecodeKernels[] = {{"ours_f32", WeightType::F32, true},
                                     {"ours_bf16", WeightType::BF16, true},
                                     {"ours_i8", WeightType::I8, true},
                                     {"openblas_f32", WeightType::F32, false}};
constexpr Kernel kEncodeKernels[] = {{"ours_f32", WeightType::F32, true},
                                     {"ours_bf16", WeightType::BF16, true},
                                     {"openblas_f32", WeightType::F32, false}};

// Started once; its workers sleep while the single-thread benchmarks run.
ThreadPool& shared_pool() {
  static ThreadPool pool(kPoolThreads);
  return pool;
}

// The product through t5::linear on the pool, with our kernel or OpenBLAS as the switches pick.
void run_linear(benchmark::State& state, Phase phase, const Kernel& kernel, const float* in, int m,
                const WeightMatrix& w, float* out) {
  Switches switches;
  switches.blocked_gemv = kernel.ours;
  switches.blocked_gemm = kernel.ours;
  Exec exec{shared_pool(), switches};
  for (auto _ : state) {
    linear(exec, phase, in, w.cols, m, w, out, w.rows, false);
    benchmark::ClobberMemory();
  }
}

void decode_gemv(benchmark::State& state, const Product& p, const Kernel& kernel, int m, int threads) {
  const WeightMatrix& w = random_weights(kernel.type, p.rows, p.cols);
  const std::vector<float> in = random_floats(static_cast<size_t>(m) * p.cols, 1);
  std::vector<float> out(static_cast<size_t>(m) * p.rows);
  if (threads == 1) {
    for (auto _ : state) {
      if (kernel.ours)
        matvec_rows(in.data(), p.cols, m, w, 0, w.rows, out.data(), w.rows, false);
      else
        matvec_rows_blas(in.data(), p.cols, m, w, 0, w.rows, out.data(), w.rows, false);
      benchmark::ClobberMemory();
    }
  } else {
    run_linear(state, Phase::Decode, kernel, in.data(), m, w, out.data());
  }
  set_rates(state, 2.0 * m * p.rows * p.cols, static_cast<double>(w.bytes()));
}

// A matrix's copy in memory of its own: a decode step's products are distinct weights, so together they
// stream from DRAM as the model's do (one matrix read again and again may stay partly in cache).
struct WeightCopy {
  AlignedBuffer<uint8_t> bytes;
  AlignedBuffer<float> scales;
  WeightMatrix matrix;
};

void copy_weights(const WeightMatrix& w, WeightCopy& copy) {
  const size_t scale_count = w.scales ? static_cast<size_t>(w.rows) * int8_groups(w.cols) : 0;
  const size_t value_bytes = w.bytes() - scale_count * sizeof(float);
  std::memcpy(copy.bytes.at_least(value_bytes), w.data, value_bytes);
  copy.matrix = w;
  copy.matrix.data = copy.bytes.data();
  if (scale_count) {
    std::memcpy(copy.scales.at_least(scale_count), w.scales, scale_count * sizeof(float));
    copy.matrix.scales = copy.scales.data();
  }
}

// How a decode step's weights are cut into products.
enum class StepLayout {
  Graph,     // the decoder's products, layer by layer, then lm_head
  LmHeads,   // the same number of weights as lm_head matrices: the same stream in a few long products
};

// One decode step's weight bytes streamed from DRAM through t5::linear on the pool, one activation row, and
// nothing else of the step. In the Graph layout, per layer: the fused self-attention QKV, its output, the
// cross-attention query and output, the gated FFN's input and output; then lm_head. Against LmHeads it
// shows what cutting the stream into the graph's many short products costs; against the bench's read probe,
// what the products reach on their own.
void decode_step_products(benchmark::State& state, const T5Config& c, const Kernel& kernel, StepLayout layout) {
  const std::vector<Product> layer = {{"qkv", 3 * c.inner_dim(), c.d_model},
                                      {"attn_out", c.d_model, c.inner_dim()},
                                      {"cross_q", c.inner_dim(), c.d_model},
                                      {"cross_out", c.d_model, c.inner_dim()},
                                      feed_forward_in(c),
                                      {"wo", c.d_model, c.d_ff}};
  const Product lm_head{"lm_head", c.vocab_size, c.d_model};
  std::vector<Product> products;
  for (int l = 0; l < c.num_decoder_layers; ++l) products.insert(products.end(), layer.begin(), layer.end());
  products.push_back(lm_head);
  if (layout == StepLayout::LmHeads) {  // as many weights, the last lm_head cut to the rows that are left
    long left = 0;
    for (const Product& p : products) left += static_cast<long>(p.rows) * p.cols;
    products.clear();
    for (; left > 0; left -= static_cast<long>(products.back().rows) * lm_head.cols) {
      const long rows = std::min<long>(lm_head.rows, (left + lm_head.cols - 1) / lm_head.cols);
      products.push_back({lm_head.name, static_cast<int>(rows), lm_head.cols});
    }
  }
  std::vector<WeightCopy> copies(products.size());
  double bytes = 0, flops = 0;
  int widest_in = 0, widest_out = 0;
  for (size_t i = 0; i < products.size(); ++i) {
    copy_weights(random_weights(kernel.type, products[i].rows, products[i].cols), copies[i]);
    bytes += static_cast<double>(copies[i].matrix.bytes());
    flops += 2.0 * products[i].rows * products[i].cols;
    widest_in = std::max(widest_in, products[i].cols);
    widest_out = std::max(widest_out, products[i].rows);
  }
  const std::vector<float> in = random_floats(static_cast<size_t>(widest_in), 1);
  std::vector<float> out(static_cast<size_t>(widest_out));
  Switches switches;
  switches.blocked_gemv = kernel.ours;
  Exec exec{shared_pool(), switches};
  for (auto _ : state) {
    for (const WeightCopy& copy : copies)
      linear(exec, Phase::Decode, in.data(), copy.matrix.cols, 1, copy.matrix, out.data(), copy.matrix.rows, false);
    benchmark::ClobberMemory();
  }
  set_rates(state, flops, bytes);
}

void encoder_gemm(benchmark::State& state, const Product& p, const Kernel& kernel, int threads) {
  const int m = kEncoderRows;
  const WeightMatrix& w = random_weights(kernel.type, p.rows, p.cols);
  const std::vector<float> in = random_floats(static_cast<size_t>(m) * p.cols, 1);
  std::vector<float> out(static_cast<size_t>(m) * p.rows);
  if (threads == 1) {
    PackedActivations packed;
    for (auto _ : state) {
      if (kernel.ours) {  // packing is part of every product, as in t5::linear
        packed.prepare(m, p.cols, w.type);
        for (int panel = 0; panel < packed.panels(); ++panel) packed.pack_panel(in.data(), p.cols, panel);
        matmul_blocked(packed, w, 0, w.rows, out.data(), w.rows, false);
      } else {
        matmul(in.data(), p.cols, m, w, out.data(), w.rows, false);
      }
      benchmark::ClobberMemory();
    }
  } else {
    run_linear(state, Phase::Encode, kernel, in.data(), m, w, out.data());
  }
  set_rates(state, 2.0 * m * p.rows * p.cols, static_cast<double>(w.bytes()));
}

void register_decode_gemv(const std::string& shape, const Product& p, int m) {
  for (const Kernel& kernel : kDecodeKernels)
    for (const int threads : {1, kPoolThreads}) {
      const std::string name = "BM_DecodeGemv/" + shape + "_" + p.name + "/m:" + std::to_string(m) + "/" +
                               kernel.name + "/threads:" + std::to_string(threads);
      add_benchmark(name, [=](benchmark::State& state) { decode_gemv(state, p, kernel, m, threads); });
    }
}

}  // namespace

void register_product_benchmarks() {
  for (const std::string shape : {"small", "base"}) {
    const T5Config c = builtin_shape("flan-t5-" + shape);
    for (const Product& p : layer_products(c)) register_decode_gemv(shape, p, 1);
    register_decode_gemv(shape, {"lm_head", c.vocab_size, c.d_model}, 1);
    for (const auto& [layout, layout_name] : {std::pair{StepLayout::Graph, "graph"}, {StepLayout::LmHeads, "lm_heads"}})
      for (const Kernel& kernel : kDecodeKernels)
        add_benchmark("BM_DecodeStepProducts/" + shape + "_" + layout_name + "/" + kernel.name + "/threads:" +
                          std::to_string(kPoolThreads),
                      [=](benchmark::State& state) { decode_step_products(state, c, kernel, layout); });
    if (shape == "base")
      for (const int m : kBatchedDecodeRows) register_decode_gemv(shape, feed_forward_in(c), m);

    for (const Product& p : layer_products(c))
      for (const Kernel& kernel : kEncodeKernels)
        for (const int threads : {1, kPoolThreads}) {
          const std::string name = "BM_EncoderGemm/" + shape + "_" + p.name + "/m:" + std::to_string(kEncoderRows) +
                                   "/" + kernel.name + "/threads:" + std::to_string(threads);
          add_benchmark(name, [=](benchmark::State& state) { encoder_gemm(state, p, kernel, threads); });
        }
  }
}

}  // namespace t5::micro
