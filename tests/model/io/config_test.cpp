#include "io/config.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "support/shared_data.h"

namespace {

std::string config_error(const std::string& text) {
  try {
    t5::parse_config(t5::parse_json(text, "config.json"), "config.json");
  } catch (const t5::Error& e) {
    return e.what();
  }
  return "no error";
}

const char* kMinimal = R"({"vocab_size":100,"d_model":8,"d_kv":4,"d_ff":16,"num_layers":2,"num_heads":3)";

TEST(Config, ReadsTheRealFlanT5Shapes) {
  T5_REQUIRE_SHARED_DATA();
  t5::T5Config small = t5::load_config(t5test::shared_dir() + "/configs/flan-t5-small.json");
  EXPECT_EQ(small.d_model, 512);
  EXPECT_EQ(small.inner_dim(), 384);  // 6 heads x 64: not d_model
  EXPECT_EQ(small.num_layers, 8);
  EXPECT_EQ(small.num_decoder_layers, 8);
  EXPECT_TRUE(small.gated);
  EXPECT_EQ(small.activation, t5::Activation::GeluTanh);
  EXPECT_FALSE(small.tie_word_embeddings);
  EXPECT_FALSE(small.scale_decoder_outputs);  // derived from the untied head: 4.x configs lack the key
  EXPECT_EQ(small.max_input_tokens, 512);
  t5::T5Config base = t5::load_config(t5test::shared_dir() + "/configs/flan-t5-base.json");
  EXPECT_EQ(base.d_model, 768);
  EXPECT_EQ(base.inner_dim(), 768);
  EXPECT_EQ(base.num_heads, 12);
  t5::T5Config synth = t5::load_config(t5test::shared_model_dir() + "/config.json");
  EXPECT_EQ(synth.d_ff, 768);
  EXPECT_FLOAT_EQ(synth.layer_norm_epsilon, 1e-6f);
  EXPECT_EQ(synth.relative_attention_num_buckets, 32);
  EXPECT_EQ(synth.relative_attention_max_distance, 128);
}

TEST(Config, DefaultsFollowTransformers) {
  t5::T5Config c = t5::parse_config(t5::parse_json(std::string(kMinimal) + "}", "c"), "c");
  EXPECT_EQ(c.feed_forward_proj, "relu");  // T5 v1.0
  EXPECT_FALSE(c.gated);
  EXPECT_TRUE(c.tie_word_embeddings);
  EXPECT_TRUE(c.scale_decoder_outputs);  // a tied head scales by d_model^-0.5
  EXPECT_EQ(c.num_decoder_layers, 2);
  EXPECT_EQ(c.decoder_start_token_id, 0);
  t5::T5Config v5 = t5::parse_config(
      t5::parse_json(std::string(kMinimal) + R"(,"tie_word_embeddings":true,"scale_decoder_outputs":false})", "c"), "c");
  EXPECT_FALSE(v5.scale_decoder_outputs);
  t5::T5Config gelu = t5::parse_config(t5::parse_json(std::string(kMinimal) + R"(,"feed_forward_proj":"gelu"})", "c"), "c");
  EXPECT_EQ(gelu.activation, t5::Activation::GeluErf);  // only the gated form means the tanh approximation
}

TEST(Config, RejectsImpossibleConfigs) {
  EXPECT_EQ(config_error("{"), "config.json: invalid JSON: parse error at line 1, column 2: syntax error while "
                               "parsing object key - unexpected end of input; expected string literal");
  EXPECT_EQ(config_error("[]"), "config.json: config is not a JSON object");
  EXPECT_EQ(config_error(R"({"d_model":8})"), "config.json: missing required field 'vocab_size'");
  EXPECT_EQ(config_error(R"({"vocab_size":100,"d_model":8,"d_kv":0,"d_ff":16,"num_layers":2,"num_heads":3})"),
            "config.json: field 'd_kv' must be a positive size, got 0");
  EXPECT_EQ(config_error(R"({"vocab_size":100,"d_model":8,"d_kv":4,"d_ff":16,"num_layers":2,"num_heads":0})"),
            "config.json: field 'num_heads' must be a positive size, got 0");
  EXPECT_EQ(config_error(R"({"vocab_size":100,"d_model":-8,"d_kv":4,"d_ff":16,"num_layers":2,"num_heads":3})"),
            "config.json: field 'd_model' must be a positive size, got -8");
  EXPECT_EQ(config_error(R"({"vocab_size":"big","d_model":8,"d_kv":4,"d_ff":16,"num_layers":2,"num_heads":3})"),
            "config.json: field 'vocab_size' must be an integer, got \"big\"");
  EXPECT_EQ(config_error(std::string(kMinimal) + R"(,"feed_forward_proj":"gated-swish"})"),
            "config.json: unknown feed_forward_proj 'gated-swish' (expected relu, gelu, silu or gelu_new, "
            "optionally prefixed by 'gated-')");
  EXPECT_EQ(config_error(std::string(kMinimal) + R"(,"model_type":"bart"})"),
            "config.json: model_type 'bart' is not a T5 model");
  EXPECT_EQ(config_error(std::string(kMinimal) + R"(,"eos_token_id":100})"),
            "config.json: special token id 100 is outside the vocabulary of 100");
  EXPECT_EQ(config_error(std::string(kMinimal) + R"(,"layer_norm_epsilon":NaN})").substr(0, 33),
            "config.json: invalid JSON: parse ");
}

TEST(Config, MissingFileNamesThePath) {
  try {
    t5::load_config("/nonexistent/config.json");
    FAIL();
  } catch (const t5::Error& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/config.json: cannot open: No such file or directory");
  }
}

}  // namespace
