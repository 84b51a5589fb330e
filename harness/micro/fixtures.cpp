#include "fixtures.h"

#include <algorithm>
#include <map>
#include <random>
#include <tuple>
#include <utility>

#include "core/aligned_buffer.h"
#include "core/half.h"
#include "io/builtin_configs.h"
#include "io/json_file.h"
#include "kernels/quantize.h"

namespace t5::micro {

namespace {

// A weight matrix with its storage.
struct OwnedWeights {
  AlignedBuffer<uint8_t> data;
  AlignedBuffer<float> scales;
  WeightMatrix matrix;
};

void fill_random(OwnedWeights& w, WeightType type, int rows, int cols) {
  const size_t count = static_cast<size_t>(rows) * cols;
  const std::vector<float> values = random_floats(count, static_cast<uint32_t>(rows * 31 + cols));
  w.matrix.type = type;
  w.matrix.rows = rows;
  w.matrix.cols = cols;
  w.data.resize(count * w.matrix.element_bytes());
  if (type == WeightType::F32) {
    std::copy(values.begin(), values.end(), reinterpret_cast<float*>(w.data.data()));
  } else if (type == WeightType::BF16) {
    uint16_t* out = reinterpret_cast<uint16_t*>(w.data.data());
    for (size_t i = 0; i < count; ++i) out[i] = f32_to_bf16(values[i]);
  } else {
    const int groups = int8_groups(cols);
    w.scales.resize(static_cast<size_t>(rows) * groups);
    int8_t* out = reinterpret_cast<int8_t*>(w.data.data());
    for (int r = 0; r < rows; ++r)
      quantize_int8_row(values.data() + static_cast<size_t>(r) * cols, cols, out + static_cast<size_t>(r) * cols,
                        w.scales.data() + static_cast<size_t>(r) * groups);
    w.matrix.scales = w.scales.data();
  }
  w.matrix.data = w.data.data();
}

}  // namespace

T5Config builtin_shape(const std::string& name) {
  return parse_config(parse_json(builtin_config(name), name), name);
}

std::vector<float> random_floats(size_t count, uint32_t seed) {
  std::mt19937 generator(seed);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  std::vector<float> values(count);
  for (float& v : values) v = uniform(generator);
  return values;
}

const WeightMatrix& random_weights(WeightType type, int rows, int cols) {
  static std::map<std::tuple<WeightType, int, int>, OwnedWeights> built;
  auto [it, inserted] = built.try_emplace({type, rows, cols});
  if (inserted) fill_random(it->second, type, rows, cols);
  return it->second.matrix;
}

void set_rates(benchmark::State& state, double items, double bytes) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * items));
  if (bytes > 0) state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}

void add_benchmark(const std::string& name, std::function<void(benchmark::State&)> run) {
  benchmark::RegisterBenchmark(name.c_str(), std::move(run))->Unit(benchmark::kMicrosecond)->UseRealTime();
}

}  // namespace t5::micro
