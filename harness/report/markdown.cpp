#include "report/markdown.h"

namespace t5bench::report {

namespace {

void append_row(std::string& out, const std::vector<std::string>& cells) {
  out += '|';
  for (const std::string& cell : cells) {
    out += ' ';
    out += escape_markdown(cell);
    out += " |";
  }
  out += '\n';
}

void append_table(std::string& out, const Table& t) {
  append_row(out, t.header);
  out += '|';
  for (bool numeric : t.numeric) out += numeric ? "---:|" : "---|";
  out += '\n';
  for (const std::vector<std::string>& row : t.rows) append_row(out, row);
}

}  // namespace

std::string escape_markdown(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\\': case '`': case '*': case '[': case ']': case '|': out += '\\'; out += c; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\n': out += ' '; break;  // a line break would end the table row or the paragraph
      default: out += c;
    }
  }
  return out;
}

std::string render_markdown(const Document& doc, const std::string& html_name) {
  std::string out = "# ";
  out += escape_markdown(doc.title);
  out += "\n\nCharts: [";
  out += escape_markdown(html_name);
  out += "](";
  out += html_name;
  out += ")\n";
  for (const Block& b : doc.blocks) {
    if (b.kind == Block::kChart) continue;  // most Markdown renderers strip SVG; the HTML has the charts
    out += '\n';
    if (b.kind == Block::kHeading) {
      out.append(static_cast<size_t>(b.level), '#');
      out += ' ';
      out += escape_markdown(b.text);
      out += '\n';
    } else if (b.kind == Block::kParagraph) {
      out += escape_markdown(b.text);
      out += '\n';
    } else if (b.kind == Block::kFacts) {
      for (const auto& [label, value] : b.facts) {
        out += "- **";
        out += escape_markdown(label);
        out += ":** ";
        out += escape_markdown(value);
        out += '\n';
      }
    } else {
      append_table(out, b.table);
    }
  }
  return out;
}

}  // namespace t5bench::report
