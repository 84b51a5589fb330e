#include "support/shared_data.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace t5test {

std::string shared_dir() {
  const char* env = std::getenv("T5BENCH_SHARED_DIR");
  return env ? env : T5BENCH_SHARED_DIR;
}
std::string shared_model_dir() { return shared_dir() + "/models/t5-synth-tasks"; }
std::string reference_path(const std::string& file) { return shared_dir() + "/reference/" + file; }
std::string binary_path() { return T5BENCH_BINARY; }
std::string source_dir() { return T5BENCH_SOURCE_DIR; }

const t5::Model& shared_model() {
  static const std::unique_ptr<t5::Model> model = t5::Model::load(shared_model_dir(), {});
  return *model;
}

bool shared_data_present() {
  struct stat st;
  return ::stat((shared_dir() + "/reference/suite-dev.json").c_str(), &st) == 0;
}

bool shared_data_required() {
  const char* env = std::getenv("T5BENCH_REQUIRE_SHARED");
  return env && std::strcmp(env, "1") == 0;
}

std::vector<float> read_f32(const t5::SafetensorsFile& file, const std::string& name, std::vector<int64_t>* shape) {
  const t5::TensorInfo* info = file.find(name);
  if (!info) throw std::runtime_error(file.path() + ": no tensor " + name);
  std::vector<float> values(info->element_count());
  t5::read_tensor_f32(file, *info, values.data());
  if (shape) *shape = info->shape;
  return values;
}

std::vector<int32_t> read_i64(const t5::SafetensorsFile& file, const std::string& name) {
  const t5::TensorInfo* info = file.find(name);
  if (!info || info->dtype != t5::DType::I64) throw std::runtime_error(file.path() + ": no I64 tensor " + name);
  std::vector<int32_t> values(info->element_count());
  for (size_t i = 0; i < values.size(); ++i) {
    int64_t v;
    std::memcpy(&v, file.bytes(*info) + 8 * i, 8);
    values[i] = static_cast<int32_t>(v);
  }
  return values;
}

TempDir::TempDir(const std::string& tag) {
  std::string pattern = (std::filesystem::temp_directory_path() / ("t5bench-" + tag + "-XXXXXX")).string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void write_file(const std::string& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
  if (!out.flush()) throw std::runtime_error("cannot write " + path);
}

std::string write_tiny_config(const TempDir& dir) {
  const std::string path = dir.file("tiny-config.json");
  write_file(path, R"({"model_type": "t5", "vocab_size": 512, "d_model": 64, "d_kv": 16, "d_ff": 128,
    "num_layers": 2, "num_decoder_layers": 2, "num_heads": 4, "feed_forward_proj": "gated-gelu",
    "tie_word_embeddings": false, "relative_attention_num_buckets": 32, "relative_attention_max_distance": 128})");
  return path;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

CommandResult run_command(const std::string& command_line) {
  TempDir dir("cmd");
  const std::string out_path = dir.file("out"), err_path = dir.file("err");
  const std::string full = "exec " + command_line + " >" + out_path + " 2>" + err_path;
  int status = std::system(full.c_str());
  CommandResult r;
  if (WIFEXITED(status)) {
    r.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    r.signal = WTERMSIG(status);
  }
  r.out = read_file(out_path);
  r.err = read_file(err_path);
  return r;
}

}  // namespace t5test
