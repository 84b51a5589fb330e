#pragma once

#include "io/config.h"

namespace t5 {

// out[i] = act(x[i]); in place allowed.
void activate(Activation act, const float* x, int n, float* out);
// The gated feed-forward epilogue: out[i] = act(gate[i]) * up[i]; `out` may alias either input.
void gated_activate(Activation act, const float* gate, const float* up, int n, float* out);

}  // namespace t5
