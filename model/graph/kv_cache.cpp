#include "graph/kv_cache.h"

#include <cstring>
#include <stdexcept>

namespace t5 {

void SelfAttentionCache::start(int layers, int rows, int inner, int capacity, bool preallocated) {
  preallocated_ = preallocated;
  layers_ = layers, rows_ = rows, inner_ = inner, capacity_ = capacity;
  if (preallocated) {
    const size_t per_layer = static_cast<size_t>(capacity) * rows * inner;
    keys_.resize(static_cast<size_t>(layers));
    values_.resize(static_cast<size_t>(layers));
    for (int l = 0; l < layers; ++l) {
      keys_[static_cast<size_t>(l)].resize(per_layer);
      values_[static_cast<size_t>(l)].resize(per_layer);
    }
    history_.assign(static_cast<size_t>(rows) * capacity, 0);
  } else {
    keys_.clear();
    values_.clear();
    keys_.resize(static_cast<size_t>(layers) * rows);
    values_.resize(static_cast<size_t>(layers) * rows);
    history_.clear();
  }
}

float* SelfAttentionCache::slot(std::vector<AlignedBuffer<float>>& storage, int layer, int row, int position) {
  if (position >= capacity_) throw std::logic_error("KV cache position past its capacity");
  if (preallocated_) {
    history_[static_cast<size_t>(row) * capacity_ + position] = row;
    return storage[static_cast<size_t>(layer)].data() + (static_cast<size_t>(position) * rows_ + row) * inner_;
  }
  AlignedBuffer<float>& old = storage[static_cast<size_t>(layer) * rows_ + row];
  AlignedBuffer<float> grown(static_cast<size_t>(position + 1) * inner_);
  if (position > 0) std::memcpy(grown.data(), old.data(), static_cast<size_t>(position) * inner_ * sizeof(float));
  old = std::move(grown);
  return old.data() + static_cast<size_t>(position) * inner_;
}

float* SelfAttentionCache::key_slot(int layer, int row, int position) { return slot(keys_, layer, row, position); }
float* SelfAttentionCache::value_slot(int layer, int row, int position) { return slot(values_, layer, row, position); }

void SelfAttentionCache::gather(int layer, int row, int length, const float** keys, const float** values) const {
  if (preallocated_) {
    const float* k = keys_[static_cast<size_t>(layer)].data();
    const float* v = values_[static_cast<size_t>(layer)].data();
    const int* history = history_.data() + static_cast<size_t>(row) * capacity_;
    for (int p = 0; p < length; ++p) {
      const size_t offset = (static_cast<size_t>(p) * rows_ + history[p]) * inner_;
      keys[p] = k + offset;
      values[p] = v + offset;
    }
    return;
  }
  const float* k = keys_[static_cast<size_t>(layer) * rows_ + row].data();
  const float* v = values_[static_cast<size_t>(layer) * rows_ + row].data();
  for (int p = 0; p < length; ++p) {
    keys[p] = k + static_cast<size_t>(p) * inner_;
    values[p] = v + static_cast<size_t>(p) * inner_;
  }
}

void SelfAttentionCache::reorder(const std::vector<int>& parents, int length) {
  if (preallocated_) {
    std::vector<int> previous = history_;
    for (int r = 0; r < rows_; ++r)
      std::memcpy(history_.data() + static_cast<size_t>(r) * capacity_,
                  previous.data() + static_cast<size_t>(parents[static_cast<size_t>(r)]) * capacity_,
                  static_cast<size_t>(length) * sizeof(int));
    return;
  }
  const size_t bytes = static_cast<size_t>(length) * inner_ * sizeof(float);
  for (std::vector<AlignedBuffer<float>>* storage : {&keys_, &values_})
    for (int l = 0; l < layers_; ++l) {
      std::vector<AlignedBuffer<float>> copies(static_cast<size_t>(rows_));
      for (int r = 0; r < rows_; ++r) {
        copies[static_cast<size_t>(r)].resize(static_cast<size_t>(length) * inner_);
        std::memcpy(copies[static_cast<size_t>(r)].data(),
                    (*storage)[static_cast<size_t>(l) * rows_ + parents[static_cast<size_t>(r)]].data(), bytes);
      }
      for (int r = 0; r < rows_; ++r) (*storage)[static_cast<size_t>(l) * rows_ + r] = std::move(copies[static_cast<size_t>(r)]);
    }
}

}  // namespace t5
