#include "io/config.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "io/builtin_configs.h"
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

TEST(Config, BuiltinShapesEqualThePublishedConfigs) {
  T5_REQUIRE_SHARED_DATA();
  for (const std::string name : {"flan-t5-small", "flan-t5-base"}) {
    const t5::T5Config builtin = t5::parse_config(t5::parse_json(t5::builtin_config(name), name), name);
    const t5::T5Config file = t5::load_config(t5test::shared_dir() + "/configs/" + name + ".json");
    EXPECT_EQ(builtin.d_model, file.d_model) << name;
    EXPECT_EQ(builtin.d_ff, file.d_ff) << name;
    EXPECT_EQ(builtin.d_kv, file.d_kv) << name;
    EXPECT_EQ(builtin.num_layers, file.num_layers) << name;
    EXPECT_EQ(builtin.num_decoder_layers, file.num_decoder_layers) << name;
    EXPECT_EQ(builtin.num_heads, file.num_heads) << name;
    EXPECT_EQ(builtin.vocab_size, file.vocab_size) << name;
    EXPECT_EQ(builtin.feed_forward_proj, file.feed_forward_proj) << name;
    EXPECT_EQ(builtin.tie_word_embeddings, file.tie_word_embeddings) << name;
    EXPECT_EQ(builtin.scale_decoder_outputs, file.scale_decoder_outputs) << name;
    EXPECT_EQ(builtin.max_input_tokens, file.max_input_tokens) << name;
    EXPECT_EQ(builtin.relative_attention_num_buckets, file.relative_attention_num_buckets) << name;
    EXPECT_EQ(builtin.relative_attention_max_distance, file.relative_attention_max_distance) << name;
    EXPECT_FLOAT_EQ(builtin.layer_norm_epsilon, file.layer_norm_epsilon) << name;
  }
  EXPECT_EQ(t5::builtin_config("flan-t5-gigantic"), "");
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
  const std::string with_nan = std::string(kMinimal) + R"(,"layer_norm_epsilon":NaN})";
  EXPECT_EQ(config_error(with_nan), "config.json: invalid JSON: NaN at line 1, column " +
                                        std::to_string(with_nan.find("NaN") + 1) +
                                        " is not a JSON number (write null or a finite value)");
}

// Found with tests/fuzz/config_fuzz (the inner_dim() overflow and the nesting on hand-written inputs): these
// escaped as nlohmann's out_of_range, undefined behaviour, a stack overflow or an epsilon of 0.
TEST(Config, RejectsNumbersAndNestingBeyondRange) {
  const std::string sizes = R"("d_model":8,"d_kv":4,"d_ff":16,"num_layers":2,"num_heads":3})";
  EXPECT_EQ(config_error(R"({"vocab_size":1e400,)" + sizes),
            "config.json: invalid JSON: number overflow parsing '1e400'");
  EXPECT_EQ(config_error(R"({"vocab_size":3e65,)" + sizes),
            "config.json: field 'vocab_size' must be an integer, got 3e+65");
  EXPECT_EQ(config_error(R"({"vocab_size":-9.3e18,)" + sizes),
            "config.json: field 'vocab_size' must be an integer, got -9.3e+18");
  EXPECT_EQ(config_error(R"({"vocab_size":100,"d_model":8,"d_kv":65536,"d_ff":16,"num_layers":2,"num_heads":65536})"),
            "config.json: num_heads x d_kv = 4294967296 is larger than 16777216");
  EXPECT_EQ(config_error(std::string(kMinimal) + R"(,"layer_norm_epsilon":1e-50})"),
            "config.json: field 'layer_norm_epsilon' must be in (0, 1), got 0.000000");  // 0 as a float
  const size_t depth = 100000;
  EXPECT_EQ(config_error(R"({"vocab_size":)" + std::string(depth, '[') + std::string(depth, ']') + "," + sizes),
            "config.json: JSON nested deeper than 64 levels");
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
