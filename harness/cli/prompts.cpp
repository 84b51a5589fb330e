#include "cli/prompts.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace t5bench {

std::vector<int32_t> parse_ids(const std::string& text, const std::string& source) {
  std::vector<int32_t> ids;
  std::istringstream words(text);
  for (std::string word; words >> word;) {
    char* end = nullptr;
    errno = 0;
    long id = std::strtol(word.c_str(), &end, 10);
    if (*end != '\0' || errno == ERANGE || id < INT32_MIN || id > INT32_MAX)
      t5::fail(source, "'" + word + "' is not a token id");
    ids.push_back(static_cast<int32_t>(id));
  }
  return ids;
}

std::vector<Prompt> read_prompts(const std::string* text, const std::string* file, bool ids_given,
                                 const t5::Model& model) {
  std::vector<Prompt> prompts;
  if (text) {
    prompts.push_back({"--prompt", *text, {}});
  } else {
    std::ifstream in(*file, std::ios::binary);
    if (!in) t5::fail(*file, std::string("cannot open: ") + std::strerror(errno));
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      prompts.push_back({*file + ":" + std::to_string(number), line, {}});
    }
    if (in.bad()) t5::fail(*file, "read error");
    if (prompts.empty()) t5::fail(*file, "no prompts");
  }
  const t5::Tokenizer* tokenizer = model.tokenizer();
  if (!ids_given && !tokenizer)
    t5::fail(model.name(), "no tokenizer (spiece.model): give --tokenizer FILE or prompts as --input-ids");
  for (Prompt& p : prompts) {
    p.input_ids = ids_given ? parse_ids(p.text, p.source) : tokenizer->encode(p.text, p.source);
    t5::validate_input_ids(p.input_ids, model.config(), p.source);
  }
  return prompts;
}

}  // namespace t5bench
