#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "io/config.h"
#include "kernels/weight_matrix.h"

namespace t5::micro {

// The shape of a published model ("flan-t5-small", "flan-t5-base") from the built-in configs.
T5Config builtin_shape(const std::string& name);

// Uniform values in [-1, 1); the same seed gives the same values.
std::vector<float> random_floats(size_t count, uint32_t seed);

// A random [rows, cols] weight matrix of `type` (int8 quantized with the model's group scales), built on
// first use and kept until exit: Google Benchmark calls each benchmark several times, and the lm_head
// matrices take a while to generate.
const WeightMatrix& random_weights(WeightType type, int rows, int cols);

// Work per iteration, reported as rates: `items` (FLOPs for products and attention, values for the
// element-wise passes) as items per second, `bytes` (when given) as bytes per second.
void set_rates(benchmark::State& state, double items, double bytes = 0);

// Registers `run` under `name`, timed by the wall clock (the pool's workers do not count on the calling
// thread's CPU clock; every family uses the same clock so they compare) and shown in microseconds.
void add_benchmark(const std::string& name, std::function<void(benchmark::State&)> run);

// Each file registers one family of benchmarks.
void register_attention_benchmarks();
void register_product_benchmarks();
void register_elementwise_benchmarks();

}  // namespace t5::micro
