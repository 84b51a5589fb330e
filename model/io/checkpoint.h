#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "io/safetensors.h"

namespace t5 {

// The safetensors files of a HuggingFace model directory, as `save_pretrained` writes them: either one
// model.safetensors or shards listed by model.safetensors.index.json. Files stay memory-mapped.
class Checkpoint {
 public:
  struct Entry {
    const SafetensorsFile* file;
    const TensorInfo* info;
  };

  explicit Checkpoint(const std::string& directory);

  const std::string& directory() const { return directory_; }
  const Entry* find(const std::string& name) const;
  size_t tensor_count() const { return entries_.size(); }
  std::vector<std::string> names() const;
  // The dtype most weights are stored in ("BF16", "F32", ...).
  std::string dominant_dtype() const;

 private:
  void open_single(const std::string& path);
  void open_sharded(const std::string& index_path);

  std::string directory_;
  std::vector<std::unique_ptr<SafetensorsFile>> files_;
  std::map<std::string, Entry> entries_;
};

}  // namespace t5
