#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace t5 {

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL, F8_E4M3, F8_E5M2 };

size_t dtype_size(DType dtype);
const char* dtype_name(DType dtype);

struct TensorInfo {
  std::string name;
  DType dtype;
  std::vector<int64_t> shape;
  uint64_t begin = 0;  // byte offsets inside the data section
  uint64_t end = 0;

  uint64_t element_count() const;
  std::string shape_string() const;  // "[32128, 256]"
};

// Header limits: a header larger than this is refused before it is parsed.
inline constexpr uint64_t kMaxSafetensorsHeaderBytes = 100ull << 20;

struct SafetensorsLayout {
  std::vector<TensorInfo> tensors;
  uint64_t data_offset = 0;  // where the data section starts: 8 + header length
};

// Parses and validates a safetensors image of `size` bytes (8-byte little-endian header length, JSON
// header, data section): dtypes known, shapes non-negative, every byte range inside the data section,
// matching its shape and dtype, and no two ranges overlapping. Errors name `source`.
SafetensorsLayout parse_safetensors(const uint8_t* bytes, size_t size, const std::string& source);

// A read-only memory map of a whole file.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

class SafetensorsFile {
 public:
  explicit SafetensorsFile(const std::string& path);

  const std::string& path() const { return file_.path(); }
  const std::vector<TensorInfo>& tensors() const { return tensors_; }
  const TensorInfo* find(const std::string& name) const;
  const uint8_t* bytes(const TensorInfo& info) const { return data_section_ + info.begin; }

 private:
  MappedFile file_;
  std::vector<TensorInfo> tensors_;
  std::map<std::string, size_t> by_name_;
  const uint8_t* data_section_ = nullptr;
};

// Converts a stored float tensor (F32, F16, BF16, F64) to fp32. Errors name the file and the tensor.
void read_tensor_f32(const SafetensorsFile& file, const TensorInfo& info, float* out);

// Writes a safetensors file of fp32 tensors (for tests and tools); shapes must match the data sizes.
struct F32Tensor {
  std::vector<int64_t> shape;
  std::vector<float> values;
};
void write_safetensors_f32(const std::string& path, const std::map<std::string, F32Tensor>& tensors);

}  // namespace t5
