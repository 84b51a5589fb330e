// The weight products at flan-t5-small and flan-t5-base shapes: decode GEMVs (a few activation rows) and
// encoder GEMMs (128 rows), our kernels against OpenBLAS, on the calling thread alone and split by weight
// rows over a two-thread pool exactly as graph/linear.cpp splits them.
#include <string>
#include <vector>

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
