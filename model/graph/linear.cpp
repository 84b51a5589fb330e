#include "graph/linear.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <optional>

#include "kernels/activation.h"
#include "kernels/gemm.h"
#include "kernels/gemm_blocked.h"
#include "kernels/gemv.h"

namespace t5 {

namespace {

// Weight rows per task: the GEMMs want long slices in whole tiles (12 columns for ours, 16 for sgemm);
// the GEMV kernel streams blocks of eight rows at most. A product goes one contiguous share per thread,
// which keeps each thread's prefetch running longest (two slices per thread cost bf16 base decode ~10%),
// and a thread that finishes early takes over the end of a slower one's share (parallel_for_balanced) --
// on this shared host one core often runs slower: base fp32 8 -> 64 tokens, decoder median 649 ms vs
// 715 with fixed halves (four interleaved pairs); base bf16 128-token encoder 104-116 ms vs 115-119.
constexpr int kEncodeGrain = 48;
constexpr int kDecodeGrain = 8;
// Our GEMM streams every packed panel past each cached block of weights: past a few hundred rows (a
// batch's packed prompts) the panels no longer stay in L2, so longer products run as row blocks. A row's
// arithmetic does not depend on its block, so results are the same bits.
constexpr int kEncodeRowBlock = 256;

bool use_blocked_gemm(const Exec& exec, Phase phase) {
  return phase == Phase::Encode && exec.switches.blocked_gemm;
}

// Splits a product our GEMM takes into blocks of kEncodeRowBlock activation rows, product(first_row, rows)
// each; false (and nothing run) when the product is short enough or not ours.
bool run_in_row_blocks(const Exec& exec, Phase phase, int m, const std::function<void(int, int)>& product) {
  if (!use_blocked_gemm(exec, phase) || m <= kEncodeRowBlock) return false;
  for (int r0 = 0; r0 < m; r0 += kEncodeRowBlock) product(r0, std::min(kEncodeRowBlock, m - r0));
  return true;
}

// The activations of one many-row product for our GEMM. Each thread that takes a share packs all of them
// into panels of its own, once per product: packed once by the pool and shared, the panels' lines sat in both
// cores' caches after every product, and the next pack's stores waited for the other core to give them up
// (the pack's stores took half its samples; small fp32 encoder, AVX2 tier, Zen 5, perf).
class GemmInput {
 public:
  GemmInput(const float* in, int ld_in, int m, int k, WeightType type)
      : in_(in), ld_in_(ld_in), m_(m), k_(k), type_(type),
        product_(next_product_.fetch_add(1, std::memory_order_relaxed) + 1) {}
  // This thread's panels, packed the first time it asks during this product.
  const PackedActivations& panels() const {
    thread_local PackedActivations buffer;
    thread_local uint64_t packed_product = 0;
    if (packed_product != product_) {
      buffer.prepare(m_, k_, type_);
      for (int panel = 0; panel < buffer.panels(); ++panel) buffer.pack_panel(in_, ld_in_, panel);
      packed_product = product_;
    }
    return buffer;
  }

 private:
  static inline std::atomic<uint64_t> next_product_{0};  // products of every thread and Exec have their own number
  const float* in_;
  int ld_in_, m_, k_;
  WeightType type_;
  uint64_t product_;
};

// Whether a decode product goes to OpenBLAS (sgemv, or sgemm for several rows) rather than our GEMV.
bool decodes_in_blas(const Exec& exec, const WeightMatrix& w) {
  return !exec.switches.blocked_gemv && w.type == WeightType::F32;
}

// Rows [begin, end) of `w` applied to the m input rows, written at columns [begin, end) of out. `gemm` is
// the same input for our GEMM when it is in use.
void product_rows(const Exec& exec, Phase phase, const float* in, int ld_in, int m, const GemmInput* gemm,
                  const WeightMatrix& w, int begin, int end, float* out, int ld_out, bool accumulate) {
  if (gemm) {
    matmul_blocked(gemm->panels(), w, begin, end, out, ld_out, accumulate);
  } else if (phase == Phase::Encode) {
    matmul(in, ld_in, m, w.row_slice(begin, end - begin), out + begin, ld_out, accumulate);
  } else if (decodes_in_blas(exec, w)) {
    matvec_rows_blas(in, ld_in, m, w, begin, end, out, ld_out, accumulate);
  } else {
    matvec_rows(in, ld_in, m, w, begin, end, out, ld_out, accumulate);
  }
}

// Whether product_rows hands the product to OpenBLAS's sgemm.
bool runs_in_sgemm(const Exec& exec, Phase phase, int m, const GemmInput* gemm, const WeightMatrix& w) {
  if (gemm) return false;
  if (phase == Phase::Encode) return true;
  return decodes_in_blas(exec, w) && m > 1;  // one row goes to sgemv
}

// OpenBLAS's sgemm sums an output in an order that depends on the shape of the call computing it (the
// kernel it picks by size, its edge kernels), so a product it runs goes one fixed share per thread: the
// balanced split's pieces vary with timing, and so did the baseline's outputs (golden tensors 1.2e-4 to
// 1.5e-4 from transformers between runs on a loaded host). Our kernels, and sgemv, compute a row the same
// way in any slice, and keep the balanced split.
void split_rows(Exec& exec, Phase phase, int rows, bool sgemm, const std::function<void(int, int)>& body) {
  const int grain = phase == Phase::Encode ? kEncodeGrain : kDecodeGrain;
  if (sgemm)
    exec.pool.parallel_for(rows, grain, 1, body);
  else
    exec.pool.parallel_for_balanced(rows, grain, body);
}

}  // namespace

void linear(Exec& exec, Phase phase, const float* in, int ld_in, int m, const WeightMatrix& w, float* out, int ld_out,
            bool accumulate) {
  const bool blocked = run_in_row_blocks(exec, phase, m, [&](int r0, int rows) {
    linear(exec, phase, in + static_cast<long>(r0) * ld_in, ld_in, rows, w, out + static_cast<long>(r0) * ld_out,
           ld_out, accumulate);
  });
  if (blocked) return;
  std::optional<GemmInput> gemm;  // only our GEMM packs, and numbers its products
  if (use_blocked_gemm(exec, phase)) gemm.emplace(in, ld_in, m, w.cols, w.type);
  const GemmInput* blocked_input = gemm ? &*gemm : nullptr;
  split_rows(exec, phase, w.rows, runs_in_sgemm(exec, phase, m, blocked_input, w), [&](int begin, int end) {
    product_rows(exec, phase, in, ld_in, m, blocked_input, w, begin, end, out, ld_out, accumulate);
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
  const int out_cols = gated ? w_in.rows / 2 : w_in.rows;
  const bool blocked = run_in_row_blocks(exec, phase, m, [&](int r0, int rows) {
    feed_forward_in(exec, phase, in + static_cast<long>(r0) * cols, rows, w_in, gated, act, scratch,
                    out + static_cast<long>(r0) * out_cols);
  });
  if (blocked) return;
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
    std::optional<GemmInput> gemm;  // only our GEMM packs, and numbers its products
    if (use_blocked_gemm(exec, phase)) gemm.emplace(in, cols, m, cols, w_in.type);
    const GemmInput* blocked_input = gemm ? &*gemm : nullptr;
    split_rows(exec, phase, ff, runs_in_sgemm(exec, phase, m, blocked_input, gate), [&](int begin, int end) {
      product_rows(exec, phase, in, cols, m, blocked_input, gate, begin, end, gate_out, ff, false);
      product_rows(exec, phase, in, cols, m, blocked_input, up, begin, end, up_out, ff, false);
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
