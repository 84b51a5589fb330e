#include "io/safetensors.h"

#include <gtest/gtest.h>

#include <cstring>

#include "core/error.h"
#include "core/half.h"
#include "support/shared_data.h"

namespace {

// A safetensors image: little-endian header length, header text, data bytes.
std::string image(const std::string& header, const std::string& data) {
  std::string bytes(8, '\0');
  uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) bytes[static_cast<size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xff);
  return bytes + header + data;
}

std::string parse_error(const std::string& bytes) {
  try {
    t5::parse_safetensors(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), "w.safetensors");
  } catch (const t5::Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(Safetensors, WritesAndReadsFp32) {
  t5test::TempDir dir("st");
  const std::string path = dir.file("model.safetensors");
  t5::write_safetensors_f32(path, {{"a", {{2, 3}, {1, 2, 3, 4, 5, 6}}}, {"b", {{1}, {-7.5f}}}});
  t5::SafetensorsFile file(path);
  ASSERT_EQ(file.tensors().size(), 2u);
  const t5::TensorInfo* a = file.find("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->shape_string(), "[2, 3]");
  EXPECT_EQ(a->dtype, t5::DType::F32);
  std::vector<float> values(6);
  t5::read_tensor_f32(file, *a, values.data());
  EXPECT_EQ(values, (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(file.find("missing"), nullptr);
}

TEST(Safetensors, WidensBf16AndF16Exactly) {
  std::string data;
  for (uint16_t h : {t5::f32_to_bf16(1.5f), t5::f32_to_bf16(-0.0078125f)}) data.append(reinterpret_cast<char*>(&h), 2);
  for (uint16_t h : {uint16_t{0x3c00}, uint16_t{0xc500}, uint16_t{0x0001}}) data.append(reinterpret_cast<char*>(&h), 2);
  t5test::TempDir dir("st");
  const std::string path = dir.file("m.safetensors");
  t5test::write_file(path, image(R"({"b":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]},)"
                                 R"("h":{"dtype":"F16","shape":[3],"data_offsets":[4,10]}})",
                                 data));
  t5::SafetensorsFile file(path);
  std::vector<float> b(2), h(3);
  t5::read_tensor_f32(file, *file.find("b"), b.data());
  t5::read_tensor_f32(file, *file.find("h"), h.data());
  EXPECT_EQ(b, (std::vector<float>{1.5f, -0.0078125f}));
  EXPECT_EQ(h, (std::vector<float>{1.0f, -5.0f, 5.9604644775390625e-08f}));  // 2^-24: smallest subnormal
}

TEST(Safetensors, RejectsBrokenFilesWithOneLineErrors) {
  const std::string tensor = R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
  EXPECT_EQ(parse_error("abc"), "w.safetensors: file is 3 bytes, too short for a safetensors header");
  EXPECT_EQ(parse_error(image(tensor, std::string(8, '\0')).substr(0, 20)),
            "w.safetensors: header length " + std::to_string(tensor.size()) +
                " runs past the end of the file (20 bytes): truncated?");
  std::string huge(8, '\xff');
  EXPECT_EQ(parse_error(huge + "{}"),
            "w.safetensors: header length 18446744073709551615 is larger than the 100 MiB limit");
  EXPECT_EQ(parse_error(image("{not json", "")).substr(0, 52), "w.safetensors (header): invalid JSON: parse error at");
  EXPECT_EQ(parse_error(image("[1,2]", "")), "w.safetensors: header is not a JSON object");
  EXPECT_EQ(parse_error(image(R"({"t":{"dtype":"Q4","shape":[2],"data_offsets":[0,8]}})", std::string(8, '\0'))),
            "w.safetensors: tensor 't': unknown dtype 'Q4'");
  EXPECT_EQ(parse_error(image(tensor, std::string(4, '\0'))),
            "w.safetensors: tensor 't': data_offsets [0, 8] fall outside the data section of 4 bytes");
  EXPECT_EQ(parse_error(image(R"({"t":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", std::string(8, '\0'))),
            "w.safetensors: tensor 't': shape [3] of F32 needs 12 bytes but data_offsets hold 8");
  EXPECT_EQ(parse_error(image(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                              R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                              std::string(12, '\0'))),
            "w.safetensors: tensors 'a' and 'b' overlap in the data section");
  EXPECT_EQ(parse_error(image(R"({"t":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", std::string(8, '\0'))),
            "w.safetensors: tensor 't': shape [-2] is not a list of sizes");
  EXPECT_EQ(parse_error(image(R"({"t":{"dtype":"F32","shape":[2]}})", std::string(8, '\0'))),
            "w.safetensors: tensor 't': data_offsets must be two byte offsets");
}

// Found with tests/fuzz/safetensors_fuzz: a header number beyond double escaped as nlohmann's out_of_range,
// and a deeply nested shape (a hand-written input) overflowed the stack while being quoted in the error.
TEST(Safetensors, RejectsHeaderNumbersAndNestingBeyondRange) {
  EXPECT_EQ(parse_error(image(R"({"t":{"dtype":"F32","shape":[2e999],"data_offsets":[0,8]}})", std::string(8, '\0'))),
            "w.safetensors (header): invalid JSON: number overflow parsing '2e999'");
  const size_t depth = 100000;
  EXPECT_EQ(parse_error(image(R"({"t":{"dtype":"F32","shape":)" + std::string(depth, '[') + std::string(depth, ']') +
                                  R"(,"data_offsets":[0,0]}})",
                              "")),
            "w.safetensors (header): JSON nested deeper than 64 levels");
}

TEST(Safetensors, MissingFileNamesThePath) {
  try {
    t5::SafetensorsFile file("/nonexistent/model.safetensors");
    FAIL() << "opened a missing file";
  } catch (const t5::Error& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/model.safetensors: cannot open: No such file or directory");
  }
}

TEST(Safetensors, ReadsTheSharedBf16Shards) {
  T5_REQUIRE_SHARED_DATA();
  t5::SafetensorsFile file(t5test::shared_model_dir() + "/model-00004-of-00004.safetensors");
  ASSERT_FALSE(file.tensors().empty());
  for (const t5::TensorInfo& t : file.tensors()) EXPECT_EQ(t.dtype, t5::DType::BF16) << t.name;
}

}  // namespace
