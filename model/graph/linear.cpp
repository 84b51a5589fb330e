#include "graph/linear.h"

#include <algorithm>

#include "kernels/activation.h"
#include "kernels/gemm.h"
#include "kernels/gemv.h"

namespace t5 {

namespace {

// Weight rows per task: sgemm wants long contiguous slices; the GEMV kernel streams four rows at a time
// and balances better with a few chunks per thread.
constexpr int kEncodeGrain = 16;
constexpr int kDecodeGrain = 4;
constexpr int kDecodeChunksPerThread = 2;

// Rows [begin, end) of `w` applied to the m input rows, written at columns [begin, end) of out.
void product_rows(const Exec& exec, Phase phase, const float* in, int ld_in, int m, const WeightMatrix& w, int begin,
                  int end, float* out, int ld_out, bool accumulate) {
  if (phase == Phase::Encode) {
    matmul(in, ld_in, m, w.row_slice(begin, end - begin), out + begin, ld_out, accumulate);
  } else if (exec.switches.blocked_gemv || w.type != WeightType::F32) {
    matvec_rows(in, ld_in, m, w, begin, end, out, ld_out, accumulate);
  } else {
    matvec_rows_blas(in, ld_in, m, w, begin, end, out, ld_out, accumulate);
  }
}

void split_rows(Exec& exec, Phase phase, int rows, const std::function<void(int, int)>& body) {
  if (phase == Phase::Encode)
    exec.pool.parallel_for(rows, kEncodeGrain, 1, body);
  else
    exec.pool.parallel_for(rows, kDecodeGrain, kDecodeChunksPerThread, body);
}

}  // namespace

void linear(Exec& exec, Phase phase, const float* in, int ld_in, int m, const WeightMatrix& w, float* out, int ld_out,
            bool accumulate) {
  split_rows(exec, phase, w.rows, [&](int begin, int end) {
    product_rows(exec, phase, in, ld_in, m, w, begin, end, out, ld_out, accumulate);
  });
}

void linear_parts(Exec& exec, Phase phase, const float* in, int ld_in, int m, const WeightMatrix& packed, int parts,
                  float* out) {
  if (exec.switches.fused_projections) {
    linear(exec, phase, in, ld_in, m, packed, out, packed.rows, false);
    return;
  }
  const int part_rows = packed.rows / parts;
  for (int p = 0; p < parts; ++p)
    linear(exec, phase, in, ld_in, m, packed.row_slice(p * part_rows, part_rows), out + p * part_rows, packed.rows,
           false);
}

void feed_forward_in(Exec& exec, Phase phase, const float* in, int m, const WeightMatrix& w_in, bool gated,
                     Activation act, float* scratch, float* out) {
  const int cols = w_in.cols;
  if (!gated) {
    linear(exec, phase, in, cols, m, w_in, out, w_in.rows, false);
    exec.pool.parallel_for(m, 1, 1, [&](int begin, int end) {
      for (int i = begin; i < end; ++i) activate(act, out + static_cast<long>(i) * w_in.rows, w_in.rows, out + static_cast<long>(i) * w_in.rows);
    });
    return;
  }
  const int ff = w_in.rows / 2;
  const WeightMatrix gate = w_in.row_slice(0, ff), up = w_in.row_slice(ff, ff);
  float* gate_out = scratch;                         // [m][ff]
  float* up_out = scratch + static_cast<long>(m) * ff;  // [m][ff]
  if (exec.switches.fused_projections) {
    split_rows(exec, phase, ff, [&](int begin, int end) {
      product_rows(exec, phase, in, cols, m, gate, begin, end, gate_out, ff, false);
      product_rows(exec, phase, in, cols, m, up, begin, end, up_out, ff, false);
      for (int i = 0; i < m; ++i) {
        const long row = static_cast<long>(i) * ff;
        gated_activate(act, gate_out + row + begin, up_out + row + begin, end - begin, out + row + begin);
      }
    });
    return;
  }
  linear(exec, phase, in, cols, m, gate, gate_out, ff, false);
  linear(exec, phase, in, cols, m, up, up_out, ff, false);
  exec.pool.parallel_for(m, 1, 1, [&](int begin, int end) {
    for (int i = begin; i < end; ++i) {
      const long row = static_cast<long>(i) * ff;
      gated_activate(act, gate_out + row, up_out + row, ff, out + row);
    }
  });
}

}  // namespace t5
