#pragma once

#include <vector>

#include "core/aligned_buffer.h"

namespace t5 {

// The decoder's self-attention keys and values for `rows` sequences decoded together.
//
// Preallocated: one buffer per layer for K and one for V, [capacity][rows][inner], sized when the request
// starts and never moved. Each row keeps a history of which slot holds its position p, so beam search can
// reorder rows by copying those indices instead of the cached vectors.
// Grown (the baseline): each layer and row has its own buffer, reallocated and copied at every step the
// way a concatenating cache (torch.cat) does, and reordering copies whole rows.
class SelfAttentionCache {
 public:
  void start(int layers, int rows, int inner, int capacity, bool preallocated);

  // Where `row` stores its key / value for `position` (the next position: grown caches reallocate here).
  float* key_slot(int layer, int row, int position);
  float* value_slot(int layer, int row, int position);
  // The key and value rows `row` attends to at positions [0, length).
  void gather(int layer, int row, int length, const float** keys, const float** values) const;
  // Row r continues the history of parents[r] (beam search), for positions [0, length).
  void reorder(const std::vector<int>& parents, int length);

  int capacity() const { return capacity_; }

 private:
  float* slot(std::vector<AlignedBuffer<float>>& storage, int layer, int row, int position);

  bool preallocated_ = false;
  int layers_ = 0, rows_ = 0, inner_ = 0, capacity_ = 0;
  std::vector<AlignedBuffer<float>> keys_, values_;  // preallocated: one per layer; grown: one per (layer, row)
  std::vector<int> history_;                          // preallocated: [rows][capacity] slot of each position
};

}  // namespace t5
