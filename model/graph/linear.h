#pragma once

#include "graph/exec.h"
#include "io/config.h"
#include "kernels/weight_matrix.h"

namespace t5 {

// Many-row phases (encoder, cross K/V) multiply through sgemm; decode steps through the GEMV kernels.
// The phase, not the row count, picks the kernel, so a decode row computes the same way alone or batched.
enum class Phase { Encode, Decode };

// out[i][n] (+)= in[i] · w[n] for i < m and every row n of w, split by weight rows across the pool.
void linear(Exec& exec, Phase phase, const float* in, int ld_in, int m, const WeightMatrix& w, float* out, int ld_out,
            bool accumulate);

// Self-attention Q|K|V ([3 * inner] columns of out) or cross K|V ([2 * inner]): one product over the packed
// rows with fused_projections, else one product per part.
void linear_parts(Exec& exec, Phase phase, const float* in, int ld_in, int m, const WeightMatrix& packed, int parts,
                  float* out);

// The gated feed-forward input: out[i][f] = act(in · wi_0[f]) * (in · wi_1[f]) for f < d_ff, where
// `w_in` packs [wi_0; wi_1]. With fused_projections each task computes both halves of its feature range and
// applies the gate while they are in cache; otherwise two products and an activation pass.
// `scratch` holds m * 2 * d_ff floats. Non-gated: out = act(in · wi).
void feed_forward_in(Exec& exec, Phase phase, const float* in, int m, const WeightMatrix& w_in, bool gated,
                     Activation act, float* scratch, float* out);

}  // namespace t5
