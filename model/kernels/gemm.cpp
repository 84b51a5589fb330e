#include "kernels/gemm.h"

#include <algorithm>
#include <cstring>

#include "core/aligned_buffer.h"
#include "core/half.h"
#include "kernels/blas.h"

namespace t5 {

void widen_rows(const WeightMatrix& w, int begin, int count, float* out) {
  const size_t n = static_cast<size_t>(count) * w.cols;
  const size_t offset = static_cast<size_t>(begin) * w.cols;
  switch (w.type) {
    case WeightType::F32:
      std::memcpy(out, w.f32() + offset, n * sizeof(float));
      return;
    case WeightType::BF16: {
      const uint16_t* src = static_cast<const uint16_t*>(w.data) + offset;
      for (size_t i = 0; i < n; ++i) out[i] = bf16_to_f32(src[i]);
      return;
    }
    case WeightType::I8: {
      const int8_t* src = static_cast<const int8_t*>(w.data) + offset;
      const int groups = int8_groups(w.cols);
      // A group at a time, its scale hoisted: the inner loop vectorizes.
      for (int r = 0; r < count; ++r) {
        const float* scales = w.scales + static_cast<size_t>(begin + r) * groups;
        const int8_t* row = src + static_cast<size_t>(r) * w.cols;
        float* row_out = out + static_cast<size_t>(r) * w.cols;
        for (int g = 0; g < groups; ++g) {
          const float scale = scales[g];
          const int end = std::min(w.cols, (g + 1) * kInt8Group);
          for (int c = g * kInt8Group; c < end; ++c) row_out[c] = static_cast<float>(row[c]) * scale;
        }
      }
      return;
    }
  }
}

const float* widened_rows(const WeightMatrix& w, int begin, int count) {
  thread_local AlignedBuffer<float> widened;
  float* rows = widened.at_least(static_cast<size_t>(count) * w.cols);
  widen_rows(w, begin, count, rows);
  return rows;
}

void add_product(const float* product, int m, int n, float* out, int ld_out) {
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) out[static_cast<size_t>(i) * ld_out + j] += product[static_cast<size_t>(i) * n + j];
}

void matmul(const float* in, int ld_in, int m, const WeightMatrix& w, float* out, int ld_out, bool accumulate) {
  if (m <= 0 || w.rows <= 0) return;
  if (accumulate) {
    // sgemm with beta = 1 adds each k block's partial sum into `out`: into the residual stream (values in the
    // hundreds) that rounds several times at its magnitude. The product first, then one add, as transformers does.
    thread_local AlignedBuffer<float> product;
    float* scratch = product.at_least(static_cast<size_t>(m) * w.rows);
    matmul(in, ld_in, m, w, scratch, w.rows, false);
    add_product(scratch, m, w.rows, out, ld_out);
    return;
  }
  if (w.type == WeightType::F32) {
    blas_sgemm(true, m, w.rows, w.cols, in, ld_in, w.f32(), w.cols, out, ld_out);
    return;
  }
  // A block of widened rows sized to stay in L2 while sgemm streams the activations past it.
  const int block_rows = std::max(16, static_cast<int>((256u << 10) / (static_cast<unsigned>(w.cols) * 4u)) / 16 * 16);
  for (int r = 0; r < w.rows; r += block_rows) {
    const int rows = std::min(block_rows, w.rows - r);
    blas_sgemm(true, m, rows, w.cols, in, ld_in, widened_rows(w, r, rows), w.cols, out + r, ld_out);
  }
}

}  // namespace t5
