#include "io/checkpoint.h"

#include <sys/stat.h>

#include "core/error.h"
#include "io/json_file.h"

namespace t5 {

namespace {

bool is_file(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

Checkpoint::Checkpoint(const std::string& directory) : directory_(directory) {
  struct stat st;
  if (::stat(directory.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) fail(directory, "model directory does not exist");
  const std::string single = directory + "/model.safetensors";
  const std::string index = directory + "/model.safetensors.index.json";
  if (is_file(single)) {
    open_single(single);
  } else if (is_file(index)) {
    open_sharded(index);
  } else {
    fail(directory, "no model.safetensors or model.safetensors.index.json");
  }
}

void Checkpoint::open_single(const std::string& path) {
  files_.push_back(std::make_unique<SafetensorsFile>(path));
  const SafetensorsFile* file = files_.back().get();
  for (const TensorInfo& info : file->tensors()) entries_[info.name] = Entry{file, &info};
}

void Checkpoint::open_sharded(const std::string& index_path) {
  json index = read_json_file(index_path);
  const json& weight_map = require_field(index, "weight_map", index_path);
  if (!weight_map.is_object() || weight_map.empty()) fail(index_path, "weight_map must be a non-empty object");
  std::map<std::string, const SafetensorsFile*> shards;
  for (auto it = weight_map.begin(); it != weight_map.end(); ++it) {
    if (!it.value().is_string()) fail(index_path, "weight_map entry '" + it.key() + "' is not a file name");
    const std::string shard = it.value().get<std::string>();
    if (shard.empty() || shard.find('/') != std::string::npos || shard == "..")
      fail(index_path, "shard name '" + shard + "' is not a plain file name");
    auto found = shards.find(shard);
    if (found == shards.end()) {
      const std::string shard_path = directory_ + "/" + shard;
      if (!is_file(shard_path))
        fail(index_path, "shard '" + shard + "' (holding '" + it.key() + "') does not exist");
      files_.push_back(std::make_unique<SafetensorsFile>(shard_path));
      found = shards.emplace(shard, files_.back().get()).first;
    }
    const TensorInfo* info = found->second->find(it.key());
    if (!info) fail(found->second->path(), "tensor '" + it.key() + "' listed in the index is missing");
    entries_[it.key()] = Entry{found->second, info};
  }
}

const Checkpoint::Entry* Checkpoint::find(const std::string& name) const {
  auto it = entries_.find(name);
  return it == entries_.end() ? nullptr : &it->second;
}

std::vector<std::string> Checkpoint::names() const {
  std::vector<std::string> list;
  for (const auto& entry : entries_) list.push_back(entry.first);
  return list;
}

std::string Checkpoint::dominant_dtype() const {
  std::map<DType, uint64_t> bytes;
  for (const auto& [name, entry] : entries_) bytes[entry.info->dtype] += entry.info->end - entry.info->begin;
  DType best = DType::F32;
  uint64_t most = 0;
  for (const auto& [dtype, count] : bytes)
    if (count > most) best = dtype, most = count;
  return dtype_name(best);
}

}  // namespace t5
