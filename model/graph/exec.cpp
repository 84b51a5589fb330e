#include "graph/exec.h"

namespace t5 {

const char* op_kind_name(OpKind kind) {
  switch (kind) {
    case OpKind::Embedding: return "embedding";
    case OpKind::Norm: return "norm";
    case OpKind::Attention: return "attention";
    case OpKind::CrossKV: return "cross_kv";
    case OpKind::FeedForward: return "ffn";
    case OpKind::LmHead: return "lm_head";
    case OpKind::Other: return "other";
    case OpKind::Count: break;
  }
  return "?";
}

void OpTimes::add(const OpTimes& other) {
  for (int i = 0; i < static_cast<int>(OpKind::Count); ++i) seconds[i] += other.seconds[i];
}

double OpTimes::total() const {
  double sum = 0;
  for (double s : seconds) sum += s;
  return sum;
}

}  // namespace t5
