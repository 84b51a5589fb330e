#include "tokenizer/tokenizer.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "suites/reference_suite.h"
#include "support/shared_data.h"

namespace {

class TokenizerTest : public testing::Test {
 protected:
  void SetUp() override {
    T5_REQUIRE_SHARED_DATA();
    tokenizer_ = std::make_unique<t5::Tokenizer>(t5test::shared_model_dir() + "/spiece.model", 1, 0, 32128);
  }
  std::unique_ptr<t5::Tokenizer> tokenizer_;
};

std::string encode_error(const t5::Tokenizer& tokenizer, const std::string& text) {
  try {
    tokenizer.encode(text, "prompt 7");
  } catch (const t5::Error& e) {
    return e.what();
  }
  return "no error";
}

TEST_F(TokenizerTest, EncodesEveryReferencePromptAsTransformersDid) {
  for (const char* file : {"suite-dev.json", "suite-dev-long.json", "suite-seed.json", "suite-seed-128x32.json"}) {
    const t5bench::ReferenceSuite suite = t5bench::load_reference_suite(t5test::reference_path(file));
    int checked = 0;
    for (const t5bench::ReferenceCase& c : suite.cases) {
      if (c.input_ids_are_canonical) {
        // The ids were cut to 127 pieces and the prompt is their decoding: check that direction.
        std::vector<int32_t> pieces(c.greedy.input_ids.begin(), c.greedy.input_ids.end() - 1);
        EXPECT_EQ(tokenizer_->decode(pieces), c.prompt) << file << " " << c.id;
        EXPECT_EQ(c.greedy.input_ids.back(), 1) << c.id;
      } else {
        EXPECT_EQ(tokenizer_->encode(c.prompt, c.id), c.greedy.input_ids) << file << " " << c.id;
      }
      if (c.beam4) {
        EXPECT_EQ(c.beam4->input_ids, c.greedy.input_ids) << c.id;
      }
      ++checked;
    }
    EXPECT_EQ(checked, static_cast<int>(suite.cases.size()));
  }
}

TEST_F(TokenizerTest, DecodesReferenceOutputs) {
  const t5bench::ReferenceSuite suite = t5bench::load_reference_suite(t5test::reference_path("suite-dev.json"));
  for (const t5bench::ReferenceCase& c : suite.cases)
    EXPECT_EQ(tokenizer_->decode(c.greedy.output_ids), c.greedy.output_text) << c.id;
}

TEST_F(TokenizerTest, DecodeSkipsPadEosAndPaddingRows) {
  EXPECT_EQ(tokenizer_->piece_count(), 32000);  // the 128 rows past it are padding
  EXPECT_EQ(tokenizer_->decode({0, 1902, 32050, 1}), tokenizer_->decode({1902}));
}

TEST_F(TokenizerTest, RefusesEmptyAndInvalidText) {
  EXPECT_EQ(encode_error(*tokenizer_, ""), "prompt 7: prompt is empty");
  EXPECT_EQ(encode_error(*tokenizer_, "ok \xff then"), "prompt 7: invalid UTF-8 at byte 3");
  EXPECT_EQ(encode_error(*tokenizer_, "cut \xe2\x82"), "prompt 7: invalid UTF-8 at byte 4");
  EXPECT_EQ(encode_error(*tokenizer_, "overlong \xc0\xaf"), "prompt 7: invalid UTF-8 at byte 9");
  EXPECT_EQ(encode_error(*tokenizer_, "surrogate \xed\xa0\x80"), "prompt 7: invalid UTF-8 at byte 10");
  EXPECT_EQ(tokenizer_->encode("caf\xc3\xa9 \xf0\x9f\x99\x82", "p").back(), 1);
}

// The one-line error a Tokenizer constructor throws, or "" when it loads.
std::string tokenizer_error(const std::string& path, int vocab_size) {
  try {
    t5::Tokenizer t(path, 1, 0, vocab_size);
    return "";
  } catch (const t5::Error& e) {
    return e.what();
  }
}

TEST(Tokenizer, MissingOrCorruptModel) {
  EXPECT_EQ(tokenizer_error("/nonexistent/spiece.model", 32128),
            "/nonexistent/spiece.model: tokenizer model does not exist");
  t5test::TempDir dir("tok");
  const std::string path = dir.file("spiece.model");
  for (const std::string& bytes : {std::string("this is not a protobuf"), std::string()}) {
    t5test::write_file(path, bytes);
    EXPECT_EQ(tokenizer_error(path, 32128), path + ": not a valid SentencePiece model");
  }
}

TEST(Tokenizer, RefusesAVocabularyThatIsNotTheModels) {
  T5_REQUIRE_SHARED_DATA();
  const std::string real = t5test::shared_model_dir() + "/spiece.model";
  EXPECT_EQ(tokenizer_error(real, 32128), "");
  EXPECT_EQ(tokenizer_error(real, 32000 + t5::Tokenizer::kMaxIdsPastPieces), "");
  EXPECT_EQ(tokenizer_error(real, 31999), real + ": 32000 pieces do not fit the model's vocab_size 31999 (expected "
                                                "between vocab_size - 256 and vocab_size): not this model's tokenizer");
  // The first 1000 bytes of the real model end on a record boundary: they parse as a tiny vocabulary.
  t5test::TempDir dir("tok");
  const std::string truncated = dir.file("spiece.model");
  t5test::write_file(truncated, t5test::read_file(real).substr(0, 1000));
  const std::string error = tokenizer_error(truncated, 32128);
  EXPECT_NE(error.find(truncated + ": "), std::string::npos) << error;
  EXPECT_NE(error.find(" pieces do not fit the model's vocab_size 32128"), std::string::npos) << error;
}

}  // namespace
