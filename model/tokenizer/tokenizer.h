#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sentencepiece {
class SentencePieceProcessor;
}

namespace t5 {

// SentencePiece over spiece.model, with the T5 conventions of the reference suites: encode appends EOS;
// decode drops pad, EOS and ids past the real pieces (FLAN-T5 pads its vocabulary to 32128 rows).
// The model's vocab_size must be the pieces plus at most kMaxIdsPastPieces ids: a model file that parses
// but holds another vocabulary (or a truncated one) is refused rather than decoded into nonsense.
class Tokenizer {
 public:
  // T5 adds 100 sentinel ids after the pieces and pads the embedding rows to a multiple of 128.
  static constexpr int kMaxIdsPastPieces = 256;

  Tokenizer(const std::string& model_path, int eos_id, int pad_id, int vocab_size);
  ~Tokenizer();

  // `source` names the prompt in errors ("prompt 3"). Refuses invalid UTF-8 and prompts that are empty or
  // only whitespace. Text that spells a control piece or a sentinel ("</s>", "<extra_id_0>") is text, as
  // the reference suites encode it (SentencePiece, no special-token splitting): never the control id.
  std::vector<int32_t> encode(std::string_view text, const std::string& source) const;
  std::string decode(const std::vector<int32_t>& ids) const;
  int piece_count() const;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int eos_id_;
  int pad_id_;
  std::unique_ptr<sentencepiece::SentencePieceProcessor> processor_;
};

// The byte offset of the first invalid UTF-8 sequence in `text`, or -1 when it is all valid.
long first_invalid_utf8(std::string_view text);

}  // namespace t5
