#include "graph/weight_store.h"

#include <stdexcept>

namespace t5 {

WeightStore::Tensor& WeightStore::add(const std::string& name, std::vector<int64_t> shape, WeightType type) {
  auto [it, inserted] = tensors_.try_emplace(name);
  if (!inserted) throw std::logic_error("weight '" + name + "' added twice");
  Tensor& t = it->second;
  size_t elements = 1;
  for (int64_t d : shape) elements *= static_cast<size_t>(d);
  t.shape = std::move(shape);
  t.type = type;
  t.bytes.resize(elements * (type == WeightType::F32 ? 4 : type == WeightType::BF16 ? 2 : 1));
  if (type == WeightType::I8)
    t.scales.resize(static_cast<size_t>(t.shape.at(0)) * int8_groups(static_cast<int>(t.shape.at(1))));
  return t;
}

const WeightStore::Tensor& WeightStore::get(const std::string& name) const {
  auto it = tensors_.find(name);
  if (it == tensors_.end()) throw std::logic_error("weight '" + name + "' is not loaded");
  return it->second;
}

WeightStore::Tensor& WeightStore::get_mutable(const std::string& name) {
  return const_cast<Tensor&>(static_cast<const WeightStore*>(this)->get(name));
}

WeightMatrix WeightStore::matrix(const std::string& name) const {
  const Tensor& t = get(name);
  if (t.shape.size() != 2) throw std::logic_error("weight '" + name + "' is not a matrix");
  WeightMatrix m;
  m.type = t.type;
  m.rows = static_cast<int>(t.shape[0]);
  m.cols = static_cast<int>(t.shape[1]);
  m.data = t.bytes.data();
  m.scales = t.type == WeightType::I8 ? t.scales.data() : nullptr;
  return m;
}

const float* WeightStore::vector(const std::string& name) const {
  const Tensor& t = get(name);
  if (t.type != WeightType::F32) throw std::logic_error("weight '" + name + "' is not fp32");
  return reinterpret_cast<const float*>(t.bytes.data());
}

size_t WeightStore::total_bytes() const {
  size_t total = 0;
  for (const auto& [name, t] : tensors_) total += t.bytes.size() + t.scales.size() * sizeof(float);
  return total;
}

}  // namespace t5
