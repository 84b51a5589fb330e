#include "core/error.h"

namespace t5 {

void fail(const std::string& source, const std::string& problem) {
  throw Error(source + ": " + problem);
}

}  // namespace t5
