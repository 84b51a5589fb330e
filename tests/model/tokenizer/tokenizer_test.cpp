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

// dev-0002 of suite-dev.json, ids and text as transformers produced them.
TEST_F(TokenizerTest, EncodesAndDecodesAReferenceCaseToItsExactIdsAndText) {
  const std::vector<int32_t> input_ids = {1843, 25200, 53, 10, 3, 4271, 12185, 2208, 1};
  const std::vector<int32_t> output_ids = {2208, 3, 4271, 12185, 1};
  const t5bench::ReferenceSuite suite = t5bench::load_reference_suite(t5test::reference_path("suite-dev.json"));
  ASSERT_EQ(suite.cases[2].id, "dev-0002");
  ASSERT_EQ(suite.cases[2].greedy.input_ids, input_ids);  // the figures above are the reference's
  ASSERT_EQ(suite.cases[2].greedy.output_ids, output_ids);
  EXPECT_EQ(tokenizer_->encode("sort ascending: 93 99 26", "p"), input_ids);
  EXPECT_EQ(tokenizer_->decode(output_ids), "26 93 99");
}

TEST_F(TokenizerTest, DecodeSkipsPadEosAndPaddingRows) {
  EXPECT_EQ(tokenizer_->piece_count(), 32000);  // the 128 rows past it are padding
  // dev-0002's output (ids 2208 3 4271 12185 then EOS) with the start id 0 before and a padding row inside.
  EXPECT_EQ(tokenizer_->decode({0, 2208, 3, 32050, 4271, 12185, 1}), "26 93 99");
  EXPECT_EQ(tokenizer_->decode({0, 1, 32127}), "");
}

// "</s>" and "<extra_id_0>" written in a prompt are text, as the reference generator encodes them
// (SentencePiece, spm_encode gives the same ids): "<" is not in the vocabulary and becomes <unk> (2);
// neither EOS (1) nor the sentinel 32099 appears before the final EOS.
TEST_F(TokenizerTest, ControlPiecesAndSentinelsWrittenInAPromptAreText) {
  EXPECT_EQ(tokenizer_->encode("say </s> twice", "p"), (std::vector<int32_t>{497, 3, 2, 87, 7, 3155, 4394, 1}));
  EXPECT_EQ(tokenizer_->encode("Fill in: The <extra_id_0> sat on the mat.", "p"),
            (std::vector<int32_t>{12607, 16, 10, 37, 3, 2, 25666, 834, 23, 26, 834, 632, 3155, 3, 7, 144, 30, 8, 6928, 5,
                                  1}));
}

TEST_F(TokenizerTest, WhitespaceIsCollapsedAndAPromptOfOnlyWhitespaceRefused) {
  EXPECT_EQ(tokenizer_->encode("  hello   world  ", "p"), (std::vector<int32_t>{21820, 296, 1}));
  EXPECT_EQ(tokenizer_->encode("hello world", "p"), (std::vector<int32_t>{21820, 296, 1}));
  for (const char* blank : {" ", "   ", "\t \t", "\n"})
    EXPECT_EQ(encode_error(*tokenizer_, blank), "prompt 7: prompt holds only whitespace") << '"' << blank << '"';
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

// The config's eos and pad ids must name control pieces (</s> 1, <pad> 0): <unk> (2), a word, an id past
// the pieces or a negative one means the config and the tokenizer disagree.
TEST(Tokenizer, RefusesEosOrPadIdsThatAreNotControlPieces) {
  T5_REQUIRE_SHARED_DATA();
  const std::string real = t5test::shared_model_dir() + "/spiece.model";
  auto error = [&](int eos, int pad) -> std::string {
    try {
      t5::Tokenizer t(real, eos, pad, 32128);
      return "";
    } catch (const t5::Error& e) {
      return e.what();
    }
  };
  EXPECT_EQ(error(1, 0), "");
  EXPECT_EQ(error(2, 0), real + ": id 2 is not a control piece (the config's eos/pad id)");
  EXPECT_EQ(error(1, 1902), real + ": id 1902 is not a control piece (the config's eos/pad id)");
  EXPECT_EQ(error(32099, 0), real + ": id 32099 is not a control piece (the config's eos/pad id)");
  EXPECT_EQ(error(1, -1), real + ": id -1 is not a control piece (the config's eos/pad id)");
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
