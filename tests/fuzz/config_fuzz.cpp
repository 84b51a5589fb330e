// Fuzzes config.json parsing: a config it accepts must describe a model that can be built.

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/error.h"
#include "io/config.h"
#include "io/json_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  t5::T5Config c;
  try {
    c = t5::parse_config(t5::parse_json(text, "config.json"), "config.json");
  } catch (const t5::Error&) {
    return 0;
  }
  for (int n : {c.vocab_size, c.d_model, c.d_kv, c.d_ff, c.num_layers, c.num_decoder_layers, c.num_heads,
                c.relative_attention_num_buckets, c.relative_attention_max_distance, c.max_input_tokens})
    if (n <= 0) abort();
  if (!(c.layer_norm_epsilon > 0)) abort();
  // In 64 bits: an accepted config whose inner_dim() overflows int is a finding (UBSan reports it).
  if (c.inner_dim() != int64_t{c.num_heads} * c.d_kv) abort();
  for (int id : {c.pad_token_id, c.eos_token_id, c.decoder_start_token_id})
    if (id < 0 || id >= c.vocab_size) abort();
  return 0;
}
