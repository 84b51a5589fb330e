#include "graph/model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "io/checkpoint.h"
#include "support/shared_data.h"
#include "t5.h"

namespace {

std::string load_error(const std::string& dir, t5::WeightType weights = t5::WeightType::F32) {
  try {
    t5::LoadOptions options;
    options.weights = weights;
    t5::Model::load(dir, options);
  } catch (const t5::Error& e) {
    return e.what();
  }
  return "no error";
}

// The shared checkpoint rewritten as one fp32 model.safetensors (what save_pretrained writes unsharded).
void write_fp32_copy(const std::string& dir, const std::function<void(std::map<std::string, t5::F32Tensor>&)>& edit = {}) {
  t5::Checkpoint source(t5test::shared_model_dir());
  std::map<std::string, t5::F32Tensor> tensors;
  for (const std::string& name : source.names()) {
    const t5::Checkpoint::Entry* e = source.find(name);
    t5::F32Tensor& t = tensors[name];
    t.shape = e->info->shape;
    t.values.resize(e->info->element_count());
    t5::read_tensor_f32(*e->file, *e->info, t.values.data());
  }
  if (edit) edit(tensors);
  t5::write_safetensors_f32(dir + "/model.safetensors", tensors);
  std::filesystem::copy_file(t5test::shared_model_dir() + "/config.json", dir + "/config.json");
  std::filesystem::copy_file(t5test::shared_model_dir() + "/spiece.model", dir + "/spiece.model");
}

TEST(Model, Fp32SingleFileEqualsTheBf16Shards) {
  T5_REQUIRE_SHARED_DATA();
  t5test::TempDir dir("fp32");
  write_fp32_copy(dir.path());
  auto sharded = t5::Model::load(t5test::shared_model_dir(), {});
  auto single = t5::Model::load(dir.path(), {});
  EXPECT_EQ(sharded->stored_dtype(), "BF16");
  EXPECT_EQ(single->stored_dtype(), "F32");
  ASSERT_EQ(sharded->store().tensors().size(), single->store().tensors().size());
  for (const auto& [name, tensor] : sharded->store().tensors()) {
    const t5::WeightStore::Tensor& other = single->store().get(name);
    ASSERT_EQ(tensor.shape, other.shape) << name;
    EXPECT_EQ(0, std::memcmp(tensor.bytes.data(), other.bytes.data(), tensor.bytes.size())) << name;
  }
  t5::Engine engine(*single, 2);
  const std::vector<int32_t> ids = single->tokenizer()->encode("23 - 23 =", "p");
  EXPECT_EQ(engine.generate(ids, {}).output_ids, (std::vector<int32_t>{3, 632, 1}));  // suite-dev case 0
}

TEST(Model, ReportsMissingAndMisshapenTensors) {
  T5_REQUIRE_SHARED_DATA();
  t5test::TempDir missing("missing");
  write_fp32_copy(missing.path(), [](auto& t) { t.erase("decoder.block.2.layer.1.EncDecAttention.k.weight"); });
  EXPECT_EQ(load_error(missing.path()),
            missing.path() + ": tensor 'decoder.block.2.layer.1.EncDecAttention.k.weight' is missing from the checkpoint");
  t5test::TempDir misshapen("shape");
  write_fp32_copy(misshapen.path(), [](auto& t) { t["lm_head.weight"].shape = {32128 * 2, 128}; });
  EXPECT_EQ(load_error(misshapen.path()), misshapen.file("model.safetensors") +
                                              ": tensor 'lm_head.weight' has shape [64256, 128] but config.json "
                                              "implies [32128, 256]");
}

// A NaN or an Inf in a checkpoint is refused at load, naming the file, the tensor and the element, whatever
// type the weights are kept in (int8 quantization could not scale it).
TEST(Model, RefusesWeightsThatAreNotFinite) {
  T5_REQUIRE_SHARED_DATA();
  const struct {
    const char* tensor;
    float value;
    const char* what;
  } cases[] = {{"decoder.block.1.layer.2.DenseReluDense.wo.weight", std::nanf(""), "NaN"},
               {"encoder.block.3.layer.0.SelfAttention.q.weight", -INFINITY, "Inf"}};
  for (const auto& c : cases) {
    t5test::TempDir dir("nonfinite");
    write_fp32_copy(dir.path(), [&](auto& t) { t[c.tensor].values[300] = c.value; });
    const std::string error = dir.file("model.safetensors") + ": tensor '" + c.tensor + "' holds " + c.what +
                              " at element 300: not a usable weight";
    for (const t5::WeightType weights : {t5::WeightType::F32, t5::WeightType::I8})
      EXPECT_EQ(load_error(dir.path(), weights), error) << static_cast<int>(weights);
  }
}

TEST(Model, BuildsTheRealFlanT5ShapesWithSyntheticWeights) {
  T5_REQUIRE_SHARED_DATA();
  auto small = t5::Model::synthetic(t5test::shared_dir() + "/configs/flan-t5-small.json", 1, {});
  EXPECT_EQ(small->encoder.size(), 8u);
  EXPECT_EQ(small->encoder[0].attention.qkv.rows, 3 * 384);
  EXPECT_EQ(small->encoder[0].attention.qkv.cols, 512);
  EXPECT_EQ(small->encoder[0].attention.out.rows, 512);
  EXPECT_EQ(small->encoder[0].attention.out.cols, 384);
  EXPECT_EQ(small->decoder[7].ffn.in.rows, 2 * 1024);
  EXPECT_EQ(small->lm_head.rows, 32128);
  // 8 layers x (qkv + out + cross q + cross out + wi_0|wi_1 + wo) + lm_head + norms, fp32: ~154 MB.
  EXPECT_EQ(small->decode_step_weight_bytes(),
            4ull * (8 * (3 * 384 * 512 + 3 * 512 * 384 + 2 * 1024 * 512 + 512 * 1024 + 3 * 512) + 32128ull * 512));
  t5::Engine engine(*small, 2);
  t5::GenerateOptions options;
  options.max_new_tokens = 4;
  options.ignore_eos = true;
  std::vector<int32_t> ids(128, 100);
  ids.back() = 1;
  const t5::Generation g = engine.generate(ids, options);
  EXPECT_EQ(g.output_ids.size(), 4u);
  for (int32_t id : g.output_ids) EXPECT_NE(id, 1);  // EOS is never chosen when ignored
  // The same seed gives the same weights.
  auto again = t5::Model::synthetic(t5test::shared_dir() + "/configs/flan-t5-small.json", 1, {});
  EXPECT_EQ(0, std::memcmp(small->lm_head.data, again->lm_head.data, small->lm_head.bytes()));
}

// A tied head (T5 v1.0) scales the decoder output by d_model^-0.5 and reuses the embedding; an untied one
// (FLAN-T5) multiplies the final norm's output as it is.
TEST(Model, HeadScalingFollowsTheConfig) {
  t5test::TempDir dir("tied");
  for (const bool tied : {true, false}) {
    const std::string config = dir.file(tied ? "tied.json" : "untied.json");
    t5test::write_file(config, std::string(R"({"vocab_size":64,"d_model":32,"d_kv":8,"d_ff":48,"num_layers":1,)") +
                                   R"("num_heads":2,"feed_forward_proj":"gated-gelu","tie_word_embeddings":)" +
                                   (tied ? "true" : "false") + "}");
    auto model = t5::Model::synthetic(config, 3, {});
    std::vector<float> final_norm;
    const t5::Tracer tracer = [&](const std::string& name, const float* data, int rows, int cols) {
      if (name == "decoder.final_layer_norm.out") final_norm.assign(data, data + rows * cols);
    };
    t5::Engine engine(*model, 1);
    std::vector<float> logits;
    t5::GenerateOptions options;
    options.max_new_tokens = 1;
    engine.generate({5, 6, 1}, options, [&](int, const float* l, int vocab) { logits.assign(l, l + vocab); }, &tracer);
    ASSERT_EQ(final_norm.size(), 32u);
    const float* head = static_cast<const float*>(tied ? static_cast<const void*>(model->embedding) : model->lm_head.data);
    const double scale = tied ? std::pow(32.0, -0.5) : 1.0;
    for (int v = 0; v < 64; ++v) {
      double expected = 0;
      for (int k = 0; k < 32; ++k) expected += final_norm[static_cast<size_t>(k)] * scale * head[v * 32 + k];
      ASSERT_NEAR(logits[static_cast<size_t>(v)], expected, 1e-4) << (tied ? "tied" : "untied") << " logit " << v;
    }
  }
}

}  // namespace
