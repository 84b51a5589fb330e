#include "io/checkpoint.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "support/shared_data.h"

namespace {

std::string checkpoint_error(const std::string& dir) {
  try {
    t5::Checkpoint checkpoint(dir);
  } catch (const t5::Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(Checkpoint, OpensTheShardedSharedModel) {
  T5_REQUIRE_SHARED_DATA();
  t5::Checkpoint checkpoint(t5test::shared_model_dir());
  EXPECT_EQ(checkpoint.dominant_dtype(), "BF16");
  const t5::Checkpoint::Entry* head = checkpoint.find("lm_head.weight");
  ASSERT_NE(head, nullptr);
  EXPECT_EQ(head->info->shape_string(), "[32128, 256]");
  EXPECT_NE(checkpoint.find("shared.weight"), nullptr);
}

TEST(Checkpoint, OpensASingleFile) {
  t5test::TempDir dir("ckpt");
  t5::write_safetensors_f32(dir.file("model.safetensors"), {{"x", {{2}, {1, 2}}}});
  t5::Checkpoint checkpoint(dir.path());
  EXPECT_EQ(checkpoint.tensor_count(), 1u);
  EXPECT_EQ(checkpoint.dominant_dtype(), "F32");
}

TEST(Checkpoint, ExplainsWhatIsMissing) {
  t5test::TempDir dir("ckpt");
  EXPECT_EQ(checkpoint_error(dir.path() + "/nothere"), dir.path() + "/nothere: model directory does not exist");
  EXPECT_EQ(checkpoint_error(dir.path()), dir.path() + ": no model.safetensors or model.safetensors.index.json");
  t5test::write_file(dir.file("model.safetensors.index.json"),
                     R"({"weight_map":{"x":"model-00001-of-00002.safetensors"}})");
  EXPECT_EQ(checkpoint_error(dir.path()), dir.file("model.safetensors.index.json") +
                                              ": shard 'model-00001-of-00002.safetensors' (holding 'x') does not exist");
  t5::write_safetensors_f32(dir.file("model-00001-of-00002.safetensors"), {{"y", {{1}, {1}}}});
  EXPECT_EQ(checkpoint_error(dir.path()),
            dir.file("model-00001-of-00002.safetensors") + ": tensor 'x' listed in the index is missing");
  t5test::write_file(dir.file("model.safetensors.index.json"), R"({"weight_map":{"x":"../etc/passwd"}})");
  EXPECT_EQ(checkpoint_error(dir.path()),
            dir.file("model.safetensors.index.json") + ": shard name '../etc/passwd' is not a plain file name");
  t5test::write_file(dir.file("model.safetensors.index.json"), R"({"metadata":{}})");
  EXPECT_EQ(checkpoint_error(dir.path()),
            dir.file("model.safetensors.index.json") + ": missing required field 'weight_map'");
}

}  // namespace
