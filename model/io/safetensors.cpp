#include "io/safetensors.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "core/error.h"
#include "core/half.h"
#include "io/json_file.h"

namespace t5 {

namespace {

struct DTypeName {
  DType dtype;
  const char* name;
  size_t size;
};

constexpr DTypeName kDTypes[] = {
    {DType::F64, "F64", 8},  {DType::F32, "F32", 4},         {DType::F16, "F16", 2},
    {DType::BF16, "BF16", 2}, {DType::I64, "I64", 8},         {DType::I32, "I32", 4},
    {DType::I16, "I16", 2},  {DType::I8, "I8", 1},           {DType::U8, "U8", 1},
    {DType::BOOL, "BOOL", 1}, {DType::F8_E4M3, "F8_E4M3", 1}, {DType::F8_E5M2, "F8_E5M2", 1},
};

const DTypeName& dtype_entry(DType dtype) {
  for (const DTypeName& entry : kDTypes)
    if (entry.dtype == dtype) return entry;
  return kDTypes[0];
}

bool mul_overflows(uint64_t a, uint64_t b, uint64_t* out) { return __builtin_mul_overflow(a, b, out); }

TensorInfo parse_entry(const std::string& name, const json& entry, uint64_t data_size, const std::string& source) {
  const std::string where = source;
  const std::string tensor = "tensor '" + name + "'";
  if (!entry.is_object()) fail(where, tensor + ": header entry is not an object");
  TensorInfo info;
  info.name = name;

  auto dtype_it = entry.find("dtype");
  if (dtype_it == entry.end() || !dtype_it->is_string()) fail(where, tensor + ": missing dtype");
  const std::string dtype = dtype_it->get<std::string>();
  const DTypeName* known = nullptr;
  for (const DTypeName& candidate : kDTypes)
    if (dtype == candidate.name) known = &candidate;
  if (!known) fail(where, tensor + ": unknown dtype '" + dtype + "'");
  info.dtype = known->dtype;

  auto shape_it = entry.find("shape");
  if (shape_it == entry.end() || !shape_it->is_array()) fail(where, tensor + ": missing shape");
  uint64_t elements = 1;
  for (const json& dim : *shape_it) {
    if (!dim.is_number_unsigned()) fail(where, tensor + ": shape " + shape_it->dump() + " is not a list of sizes");
    uint64_t d = dim.get<uint64_t>();
    if (d > (1ull << 40) || mul_overflows(elements, d, &elements))
      fail(where, tensor + ": shape " + shape_it->dump() + " is too large");
    info.shape.push_back(static_cast<int64_t>(d));
  }

  auto offsets_it = entry.find("data_offsets");
  if (offsets_it == entry.end() || !offsets_it->is_array() || offsets_it->size() != 2 ||
      !(*offsets_it)[0].is_number_unsigned() || !(*offsets_it)[1].is_number_unsigned())
    fail(where, tensor + ": data_offsets must be two byte offsets");
  info.begin = (*offsets_it)[0].get<uint64_t>();
  info.end = (*offsets_it)[1].get<uint64_t>();
  if (info.begin > info.end || info.end > data_size)
    fail(where, tensor + ": data_offsets [" + std::to_string(info.begin) + ", " + std::to_string(info.end) +
                    "] fall outside the data section of " + std::to_string(data_size) + " bytes");
  uint64_t bytes = 0;
  if (mul_overflows(elements, known->size, &bytes) || bytes != info.end - info.begin)
    fail(where, tensor + ": shape " + info.shape_string() + " of " + dtype + " needs " +
                    std::to_string(elements * known->size) + " bytes but data_offsets hold " +
                    std::to_string(info.end - info.begin));
  return info;
}

}  // namespace

size_t dtype_size(DType dtype) { return dtype_entry(dtype).size; }
const char* dtype_name(DType dtype) { return dtype_entry(dtype).name; }

uint64_t TensorInfo::element_count() const {
  uint64_t n = 1;
  for (int64_t d : shape) n *= static_cast<uint64_t>(d);
  return n;
}

std::string TensorInfo::shape_string() const {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

SafetensorsLayout parse_safetensors(const uint8_t* bytes, size_t size, const std::string& source) {
  if (size < 8) fail(source, "file is " + std::to_string(size) + " bytes, too short for a safetensors header");
  uint64_t header_bytes = 0;
  for (int i = 7; i >= 0; --i) header_bytes = (header_bytes << 8) | bytes[i];
  if (header_bytes > kMaxSafetensorsHeaderBytes)
    fail(source, "header length " + std::to_string(header_bytes) + " is larger than the 100 MiB limit");
  if (header_bytes > size - 8)
    fail(source, "header length " + std::to_string(header_bytes) + " runs past the end of the file (" +
                     std::to_string(size) + " bytes): truncated?");
  const uint64_t data_size = size - 8 - header_bytes;
  json header = parse_json(std::string_view(reinterpret_cast<const char*>(bytes + 8), header_bytes),
                           source + " (header)");
  if (!header.is_object()) fail(source, "header is not a JSON object");

  SafetensorsLayout layout;
  layout.data_offset = 8 + header_bytes;
  std::vector<TensorInfo>& tensors = layout.tensors;
  for (auto it = header.begin(); it != header.end(); ++it) {
    if (it.key() == "__metadata__") continue;
    tensors.push_back(parse_entry(it.key(), it.value(), data_size, source));
  }
  std::vector<const TensorInfo*> by_offset;
  for (const TensorInfo& t : tensors)
    if (t.end > t.begin) by_offset.push_back(&t);
  std::sort(by_offset.begin(), by_offset.end(),
            [](const TensorInfo* a, const TensorInfo* b) { return a->begin < b->begin; });
  for (size_t i = 1; i < by_offset.size(); ++i)
    if (by_offset[i]->begin < by_offset[i - 1]->end)
      fail(source, "tensors '" + by_offset[i - 1]->name + "' and '" + by_offset[i]->name + "' overlap in the data section");
  return layout;
}

MappedFile::MappedFile(const std::string& path) : path_(path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(path, std::string("cannot open: ") + std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    fail(path, "not a regular file");
  }
  size_ = static_cast<size_t>(st.st_size);
  if (size_ > 0) {
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      int err = errno;
      ::close(fd);
      fail(path, std::string("cannot map: ") + std::strerror(err));
    }
    data_ = static_cast<const uint8_t*>(p);
  }
  ::close(fd);
}

MappedFile::~MappedFile() {
  if (data_) ::munmap(const_cast<uint8_t*>(data_), size_);
}

SafetensorsFile::SafetensorsFile(const std::string& path) : file_(path) {
  SafetensorsLayout layout = parse_safetensors(file_.data(), file_.size(), path);
  tensors_ = std::move(layout.tensors);
  data_section_ = file_.data() + layout.data_offset;
  for (size_t i = 0; i < tensors_.size(); ++i) by_name_[tensors_[i].name] = i;
}

const TensorInfo* SafetensorsFile::find(const std::string& name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &tensors_[it->second];
}

void read_tensor_f32(const SafetensorsFile& file, const TensorInfo& info, float* out) {
  const uint8_t* src = file.bytes(info);
  const uint64_t n = info.element_count();
  switch (info.dtype) {
    case DType::F32:
      std::memcpy(out, src, n * sizeof(float));
      return;
    case DType::BF16:
      for (uint64_t i = 0; i < n; ++i) {
        uint16_t h;
        std::memcpy(&h, src + 2 * i, 2);
        out[i] = bf16_to_f32(h);
      }
      return;
    case DType::F16:
      for (uint64_t i = 0; i < n; ++i) {
        uint16_t h;
        std::memcpy(&h, src + 2 * i, 2);
        out[i] = f16_to_f32(h);
      }
      return;
    case DType::F64:
      for (uint64_t i = 0; i < n; ++i) {
        double d;
        std::memcpy(&d, src + 8 * i, 8);
        out[i] = static_cast<float>(d);
      }
      return;
    default:
      fail(file.path(), "tensor '" + info.name + "' has dtype " + dtype_name(info.dtype) +
                            ", expected F32, F16, BF16 or F64");
  }
}

void write_safetensors_f32(const std::string& path, const std::map<std::string, F32Tensor>& tensors) {
  json header = json::object();
  uint64_t offset = 0;
  for (const auto& [name, tensor] : tensors) {
    uint64_t bytes = tensor.values.size() * sizeof(float);
    header[name] = {{"dtype", "F32"}, {"shape", tensor.shape}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');  // the format pads the header to 8 bytes
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) fail(path, std::string("cannot create: ") + std::strerror(errno));
  uint64_t header_bytes = text.size();
  uint8_t length[8];
  for (int i = 0; i < 8; ++i) length[i] = static_cast<uint8_t>(header_bytes >> (8 * i));
  out.write(reinterpret_cast<const char*>(length), 8);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  for (const auto& entry : tensors)
    out.write(reinterpret_cast<const char*>(entry.second.values.data()),
              static_cast<std::streamsize>(entry.second.values.size() * sizeof(float)));
  if (!out.flush()) fail(path, "write failed");
}

}  // namespace t5
