#include "io/json_file.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace t5 {

namespace {

constexpr int kMaxJsonDepth = 64;

// nlohmann prefixes its messages with "[json.exception.parse_error.101] "; the rest is the useful part.
std::string strip_exception_tag(const std::string& message) {
  if (!message.empty() && message[0] == '[') {
    size_t close = message.find("] ");
    if (close != std::string::npos) return message.substr(close + 2);
  }
  return message;
}

const json* find_field(const json& object, const char* name, const std::string& source) {
  if (!object.is_object()) fail(source, std::string("expected a JSON object holding '") + name + "'");
  auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

// A value quoted in an error message, cut short so the message stays one readable line.
std::string brief(const json& value) {
  std::string text = value.dump();
  return text.size() <= 40 ? text : text.substr(0, 37) + "...";
}

int64_t to_int(const json& value, const char* name, const std::string& source) {
  if (value.is_number_unsigned() && value.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
    fail(source, std::string("field '") + name + "' is out of range, got " + brief(value));
  if (value.is_number_integer()) return value.get<int64_t>();
  if (value.is_number_float()) {
    double d = value.get<double>();
    // Range first: converting a double outside int64_t is undefined behaviour.
    if (d >= -0x1p63 && d < 0x1p63 && d == std::trunc(d)) return static_cast<int64_t>(d);
  }
  fail(source, std::string("field '") + name + "' must be an integer, got " + brief(value));
}

// Google Benchmark and Python write non-finite numbers as bare NaN / Infinity, which JSON does not have.
// The token the parse error at `error_offset` sits in, when it is one of those (its offset in `begin`).
std::string non_finite_token_at(std::string_view text, size_t error_offset, size_t& begin) {
  begin = std::min(error_offset, text.size());
  while (begin > 0 && (std::isalpha(static_cast<unsigned char>(text[begin - 1])) || text[begin - 1] == '-')) --begin;
  for (const char* token : {"NaN", "-NaN", "Infinity", "-Infinity"})
    if (text.substr(begin, std::strlen(token)) == token) return token;
  return "";
}

std::string line_and_column(std::string_view text, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') ++line, column = 1;
    else ++column;
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

}  // namespace

json parse_json(std::string_view text, const std::string& source) {
  // Printing a value (error messages quote them) recurses once per level: refuse nesting that could
  // overflow the stack. Our formats need fewer than ten levels.
  const auto limit_depth = [&](int depth, json::parse_event_t, json&) {
    if (depth > kMaxJsonDepth) fail(source, "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    return true;
  };
  try {
    return json::parse(text.begin(), text.end(), limit_depth);
  } catch (const json::parse_error& e) {
    // e.byte counts from 1 and points just past the character that failed.
    const size_t error_offset = e.byte > 0 ? e.byte - 1 : 0;
    size_t token_offset = 0;
    const std::string token = non_finite_token_at(text, error_offset, token_offset);
    if (!token.empty()) {
      fail(source, "invalid JSON: " + token + " at " + line_and_column(text, token_offset) +
                       " is not a JSON number (write null or a finite value)");
    }
    fail(source, "invalid JSON: " + strip_exception_tag(e.what()));
  } catch (const json::exception& e) {  // out_of_range for a number too large for a double
    fail(source, "invalid JSON: " + strip_exception_tag(e.what()));
  }
}

json read_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, std::string("cannot open: ") + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) fail(path, "read error");
  return parse_json(text.str(), path);
}

const json& require_field(const json& object, const char* name, const std::string& source) {
  const json* value = find_field(object, name, source);
  if (!value) fail(source, std::string("missing required field '") + name + "'");
  return *value;
}

int64_t require_int(const json& object, const char* name, const std::string& source) {
  return to_int(require_field(object, name, source), name, source);
}

int64_t optional_int(const json& object, const char* name, int64_t fallback, const std::string& source) {
  const json* value = find_field(object, name, source);
  return value && !value->is_null() ? to_int(*value, name, source) : fallback;
}

int64_t require_int_in(const json& object, const char* name, int64_t min, int64_t max, const std::string& source) {
  const int64_t value = require_int(object, name, source);
  if (value < min || value > max)
    fail(source, std::string("field '") + name + "' must be in [" + std::to_string(min) + ", " + std::to_string(max) +
                     "], got " + std::to_string(value));
  return value;
}

int64_t optional_int_in(const json& object, const char* name, int64_t fallback, int64_t min, int64_t max,
                        const std::string& source) {
  const json* value = find_field(object, name, source);
  return value && !value->is_null() ? require_int_in(object, name, min, max, source) : fallback;
}

double require_number(const json& object, const char* name, const std::string& source) {
  const json& value = require_field(object, name, source);
  if (!value.is_number()) fail(source, std::string("field '") + name + "' must be a number, got " + brief(value));
  return value.get<double>();
}

double optional_number(const json& object, const char* name, double fallback, const std::string& source) {
  const json* value = find_field(object, name, source);
  if (!value || value->is_null()) return fallback;
  if (!value->is_number()) fail(source, std::string("field '") + name + "' must be a number, got " + brief(*value));
  return value->get<double>();
}

bool optional_bool(const json& object, const char* name, bool fallback, const std::string& source) {
  const json* value = find_field(object, name, source);
  if (!value || value->is_null()) return fallback;
  if (!value->is_boolean()) fail(source, std::string("field '") + name + "' must be true or false, got " + brief(*value));
  return value->get<bool>();
}

std::string require_string(const json& object, const char* name, const std::string& source) {
  const json& value = require_field(object, name, source);
  if (!value.is_string()) fail(source, std::string("field '") + name + "' must be a string, got " + brief(value));
  return value.get<std::string>();
}

std::string optional_string(const json& object, const char* name, const std::string& fallback,
                            const std::string& source) {
  const json* value = find_field(object, name, source);
  if (!value || value->is_null()) return fallback;
  if (!value->is_string()) fail(source, std::string("field '") + name + "' must be a string, got " + brief(*value));
  return value->get<std::string>();
}

}  // namespace t5
