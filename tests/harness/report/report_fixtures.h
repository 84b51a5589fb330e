#pragma once

// Fixture results for the report tests (tests/harness/report/data) and a small well-formedness checker
// for the markup the report writes.

#include <set>
#include <string>

#include "io/json_file.h"
#include "support/shared_data.h"

namespace t5test {

// bench.json: configurations baseline (runs 100, 110, 120 ms), optimized (70, 75, 80) and
// fused_attention (95, 99, 103), suite "fixture", version 0.2.0. accuracy.json: suite "synth-tasks",
// tasks arithmetic and translate, two divergences.
inline std::string report_fixture(const std::string& name) { return source_dir() + "/tests/harness/report/data/" + name; }

inline t5::json read_report_fixture(const std::string& name) { return t5::read_json_file(report_fixture(name)); }

inline std::string write_json(const TempDir& dir, const std::string& name, const t5::json& value) {
  const std::string path = dir.file(name);
  write_file(path, value.dump(1));
  return path;
}

inline size_t count_of(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

// Checks what XML well-formedness a report needs: every element closed, in order; attribute values
// quoted; '<' never bare; entities only the predefined or numeric ones. `void_elements` (HTML's meta and
// link) need no closing tag; <!DOCTYPE> and comments are skipped. Returns "" or the first problem.
inline std::string markup_problem(const std::string& text, const std::set<std::string>& void_elements = {}) {
  std::vector<std::string> open;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '&') {
      const size_t semi = text.find(';', i);
      const std::string entity = semi == std::string::npos ? text.substr(i, 8) : text.substr(i, semi - i + 1);
      const bool numeric = entity.size() > 3 && entity[1] == '#' &&
                           entity.find_first_not_of("0123456789", 2) == entity.size() - 1;
      if (!numeric && entity != "&amp;" && entity != "&lt;" && entity != "&gt;" && entity != "&quot;")
        return "bad entity '" + entity + "' at " + std::to_string(i);
      i = semi + 1;
      continue;
    }
    if (text[i] != '<') {
      ++i;
      continue;
    }
    if (text.compare(i, 4, "<!--") == 0) {
      i = text.find("-->", i);
      if (i == std::string::npos) return "unclosed comment";
      i += 3;
      continue;
    }
    const size_t end = text.find('>', i);
    if (end == std::string::npos) return "unclosed tag at " + std::to_string(i);
    const std::string tag = text.substr(i + 1, end - i - 1);
    i = end + 1;
    if (tag.rfind("!DOCTYPE", 0) == 0) continue;
    if (tag.find('<') != std::string::npos) return "'<' inside tag <" + tag + ">";
    if (!tag.empty() && tag[0] == '/') {
      if (open.empty() || open.back() != tag.substr(1)) return "</" + tag.substr(1) + "> closes nothing open";
      open.pop_back();
      continue;
    }
    const bool self_closing = !tag.empty() && tag.back() == '/';
    const std::string body = self_closing ? tag.substr(0, tag.size() - 1) : tag;
    const size_t name_end = std::min(body.find_first_of(" \n"), body.size());
    const std::string name = body.substr(0, name_end);
    if (name.empty()) return "empty tag name";
    // Attributes: name="value" pairs separated by whitespace.
    size_t a = name_end;
    while (a < body.size()) {
      if (body[a] == ' ' || body[a] == '\n') {
        ++a;
        continue;
      }
      const size_t eq = body.find('=', a);
      if (eq == std::string::npos || body[eq + 1] != '"') return "unquoted attribute in <" + name + ">";
      const size_t close = body.find('"', eq + 2);
      if (close == std::string::npos) return "unterminated attribute in <" + name + ">";
      a = close + 1;
    }
    if (!self_closing && !void_elements.count(name)) open.push_back(name);
  }
  return open.empty() ? "" : "<" + open.back() + "> never closed";
}

}  // namespace t5test
