#include "tokenizer/tokenizer.h"

#include <sys/stat.h>

#include <sentencepiece_processor.h>

#include "core/error.h"

namespace t5 {

long first_invalid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    size_t extra;
    uint32_t min_code;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      extra = 1, min_code = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
      extra = 2, min_code = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
      extra = 3, min_code = 0x10000;
    } else {
      return static_cast<long>(i);
    }
    uint32_t code = c & (0x3f >> extra);
    for (size_t k = 1; k <= extra; ++k) {
      if (i + k >= n || (s[i + k] & 0xc0) != 0x80) return static_cast<long>(i);
      code = (code << 6) | (s[i + k] & 0x3f);
    }
    if (code < min_code || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return static_cast<long>(i);
    i += extra + 1;
  }
  return -1;
}

Tokenizer::Tokenizer(const std::string& model_path, int eos_id, int pad_id, int vocab_size)
    : path_(model_path), eos_id_(eos_id), pad_id_(pad_id),
      processor_(std::make_unique<sentencepiece::SentencePieceProcessor>()) {
  struct stat st;
  if (::stat(model_path.c_str(), &st) != 0) fail(model_path, "tokenizer model does not exist");
  // SentencePiece's own message names its source file and line; the user needs only the verdict.
  if (!processor_->Load(model_path).ok()) fail(model_path, "not a valid SentencePiece model");
  const int pieces = piece_count();
  if (pieces > vocab_size || vocab_size - pieces > kMaxIdsPastPieces)
    fail(model_path, std::to_string(pieces) + " pieces do not fit the model's vocab_size " +
                         std::to_string(vocab_size) + " (expected between vocab_size - " +
                         std::to_string(kMaxIdsPastPieces) + " and vocab_size): not this model's tokenizer");
  for (const int id : {eos_id, pad_id})
    if (id < 0 || id >= pieces || !processor_->IsControl(id))
      fail(model_path, "id " + std::to_string(id) + " is not a control piece (the config's eos/pad id)");
}

Tokenizer::~Tokenizer() = default;

std::vector<int32_t> Tokenizer::encode(std::string_view text, const std::string& source) const {
  if (text.empty()) fail(source, "prompt is empty");
  long bad = first_invalid_utf8(text);
  if (bad >= 0) fail(source, "invalid UTF-8 at byte " + std::to_string(bad));
  std::vector<int> ids;
  auto status = processor_->Encode(std::string(text), &ids);
  if (!status.ok()) fail(source, "tokenizer failed: " + std::string(status.message()));
  // SentencePiece drops whitespace: such a prompt would reach the model as a lone EOS.
  if (ids.empty()) fail(source, "prompt holds only whitespace");
  std::vector<int32_t> out(ids.begin(), ids.end());
  out.push_back(eos_id_);
  return out;
}

std::string Tokenizer::decode(const std::vector<int32_t>& ids) const {
  const int pieces = piece_count();
  std::vector<int> kept;
  for (int32_t id : ids)
    if (id != pad_id_ && id != eos_id_ && id >= 0 && id < pieces) kept.push_back(id);
  std::string text;
  processor_->Decode(kept, &text).IgnoreError();
  return text;
}

int Tokenizer::piece_count() const { return processor_->GetPieceSize(); }

}  // namespace t5
