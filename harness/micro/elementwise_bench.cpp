// The element-wise passes around the products: T5's RMS norm over rows of d_model, and the gated GELU
// epilogue of the feed-forward (gelu_tanh(wi_0 x) * wi_1 x) over rows of d_ff. One row is a decode step,
// 128 rows the seed condition's encoder input.
#include <string>
#include <vector>

#include "fixtures.h"
#include "kernels/activation.h"
#include "kernels/norm.h"

namespace t5::micro {

namespace {

constexpr int kRowCounts[] = {1, 128};

void rms_norm(benchmark::State& state, const T5Config& c, int rows) {
  const int cols = c.d_model;
  const size_t count = static_cast<size_t>(rows) * cols;
  const std::vector<float> x = random_floats(count, 1), weight = random_floats(cols, 2);
  std::vector<float> out(count);
  for (auto _ : state) {
    rms_norm_rows(x.data(), cols, weight.data(), c.layer_norm_epsilon, rows, cols, out.data(), cols);
    benchmark::ClobberMemory();
  }
  set_rates(state, static_cast<double>(count), 2.0 * count * sizeof(float));  // x read, out written
}

void gated_gelu(benchmark::State& state, const T5Config& c, int rows) {
  const size_t count = static_cast<size_t>(rows) * c.d_ff;
  const std::vector<float> gate = random_floats(count, 1), up = random_floats(count, 2);
  std::vector<float> out(count);
  for (auto _ : state) {
    gated_activate(Activation::GeluTanh, gate.data(), up.data(), static_cast<int>(count), out.data());
    benchmark::ClobberMemory();
  }
  set_rates(state, static_cast<double>(count), 3.0 * count * sizeof(float));  // gate, up read, out written
}

}  // namespace

void register_elementwise_benchmarks() {
  for (const std::string shape : {"small", "base"}) {
    const T5Config c = builtin_shape("flan-t5-" + shape);
    for (const int rows : kRowCounts) {
      const std::string size = "/rows:" + std::to_string(rows) + "/cols:";
      add_benchmark("BM_RmsNorm/" + shape + size + std::to_string(c.d_model),
                    [=](benchmark::State& state) { rms_norm(state, c, rows); });
      add_benchmark("BM_GatedGeluTanh/" + shape + size + std::to_string(c.d_ff),
                    [=](benchmark::State& state) { gated_gelu(state, c, rows); });
    }
  }
}

}  // namespace t5::micro
