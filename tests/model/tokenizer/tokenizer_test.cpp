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
    tokenizer_ = std::make_unique<t5::Tokenizer>(t5test::shared_model_dir() + "/spiece.model", 1, 0);
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

TEST(Tokenizer, MissingOrCorruptModel) {
  try {
    t5::Tokenizer t("/nonexistent/spiece.model", 1, 0);
    FAIL();
  } catch (const t5::Error& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/spiece.model: tokenizer model does not exist");
  }
  t5test::TempDir dir("tok");
  t5test::write_file(dir.file("spiece.model"), "this is not a protobuf");
  try {
    t5::Tokenizer t(dir.file("spiece.model"), 1, 0);
    FAIL();
  } catch (const t5::Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind(dir.file("spiece.model") + ": not a valid SentencePiece model (", 0), 0u)
        << e.what();
  }
}

}  // namespace
