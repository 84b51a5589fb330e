#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/aligned_buffer.h"
#include "kernels/weight_matrix.h"

namespace t5 {

// Every weight of a model in one flat name → tensor map, loaded once, in the layout the kernels read.
class WeightStore {
 public:
  struct Tensor {
    std::vector<int64_t> shape;
    WeightType type = WeightType::F32;
    AlignedBuffer<uint8_t> bytes;
    AlignedBuffer<float> scales;  // I8: one per group of kInt8Group values of a row
  };

  // Adds an uninitialized tensor; the name must be new.
  Tensor& add(const std::string& name, std::vector<int64_t> shape, WeightType type);
  bool contains(const std::string& name) const { return tensors_.count(name) != 0; }
  const Tensor& get(const std::string& name) const;
  Tensor& get_mutable(const std::string& name);
  void erase(const std::string& name) { tensors_.erase(name); }

  // A 2-D tensor as a weight matrix, a 1-D fp32 tensor as a vector.
  WeightMatrix matrix(const std::string& name) const;
  const float* vector(const std::string& name) const;

  size_t total_bytes() const;
  const std::map<std::string, Tensor>& tensors() const { return tensors_; }

 private:
  std::map<std::string, Tensor> tensors_;
};

}  // namespace t5
