// Fuzzes parse_safetensors on raw file images: it must return a layout that keeps every promise of its
// header comment, or throw t5::Error.

#include <cstdint>
#include <cstdlib>

#include "core/error.h"
#include "io/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  t5::SafetensorsLayout layout;
  try {
    layout = t5::parse_safetensors(data, size, "fuzz.safetensors");
  } catch (const t5::Error&) {
    return 0;
  }
  if (layout.data_offset < 8 || layout.data_offset > size) abort();
  const uint64_t data_size = size - layout.data_offset;
  for (const t5::TensorInfo& t : layout.tensors) {
    if (t.begin > t.end || t.end > data_size) abort();
    uint64_t bytes = t5::dtype_size(t.dtype);
    for (int64_t d : t.shape)
      if (d < 0 || __builtin_mul_overflow(bytes, static_cast<uint64_t>(d), &bytes)) abort();
    if (bytes != t.end - t.begin) abort();
  }
  return 0;
}
