#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace t5 {

using json = nlohmann::json;

// Parses JSON text; errors name `source`. NaN and Infinity literals are rejected, as JSON requires.
json parse_json(std::string_view text, const std::string& source);
json read_json_file(const std::string& path);

// Typed field access with one-line errors: "<source>: field 'name' must be ...".
const json& require_field(const json& object, const char* name, const std::string& source);
int64_t require_int(const json& object, const char* name, const std::string& source);
int64_t optional_int(const json& object, const char* name, int64_t fallback, const std::string& source);
// Integers within [min, max]: "<source>: field 'name' must be in [min, max], got v" otherwise.
int64_t require_int_in(const json& object, const char* name, int64_t min, int64_t max, const std::string& source);
int64_t optional_int_in(const json& object, const char* name, int64_t fallback, int64_t min, int64_t max,
                        const std::string& source);
double require_number(const json& object, const char* name, const std::string& source);
double optional_number(const json& object, const char* name, double fallback, const std::string& source);
bool optional_bool(const json& object, const char* name, bool fallback, const std::string& source);
std::string require_string(const json& object, const char* name, const std::string& source);
std::string optional_string(const json& object, const char* name, const std::string& fallback,
                            const std::string& source);

}  // namespace t5
