#include "report/html.h"

#include "report/svg.h"

namespace t5bench::report {

namespace {

constexpr const char* kStyle = R"(
body { margin: 0; background: #fff; color: #222; line-height: 1.45;
       font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 24px; }
h1 { font-size: 1.7em; margin: 0 0 .6em; }
h2 { font-size: 1.35em; margin-top: 2em; padding-bottom: .2em; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.1em; margin-top: 1.6em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.table { overflow-x: auto; }
table { border-collapse: collapse; font-size: .88em; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #ccc; padding: .3em .55em; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
tbody tr:nth-child(even) { background: #fafafa; }
.num { text-align: right; }
td.num { white-space: nowrap; }
figure { margin: 1.2em 0 1.6em; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { margin-top: .3em; font-size: .9em; color: #444; }
)";

std::string cell(const char* tag, const std::string& text, bool numeric) {
  return std::string("<") + tag + (numeric ? " class=\"num\"" : "") + ">" + escape_xml(text) + "</" + tag + ">";
}

std::string table_html(const Table& t) {
  std::string out = "<div class=\"table\"><table>\n<thead><tr>";
  for (size_t i = 0; i < t.header.size(); ++i) out += cell("th", t.header[i], t.numeric[i]);
  out += "</tr></thead>\n<tbody>\n";
  for (const std::vector<std::string>& row : t.rows) {
    out += "<tr>";
    for (size_t i = 0; i < row.size(); ++i) out += cell("td", row[i], t.numeric[i]);
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table></div>\n";
}

}  // namespace

std::string render_html(const Document& doc) {
  // The empty data: icon keeps browsers from requesting /favicon.ico, which a file:// page cannot serve.
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<link rel=\"icon\" href=\"data:,\">\n<title>" + escape_xml(doc.title) + "</title>\n<style>" +
                    kStyle + "</style>\n</head>\n<body>\n<main>\n<h1>" + escape_xml(doc.title) + "</h1>\n";
  for (const Block& b : doc.blocks) {
    switch (b.kind) {
      case Block::kHeading: {
        const std::string level = std::to_string(b.level);
        out += "<h" + level + ">";
        out += escape_xml(b.text);
        out += "</h" + level + ">\n";
        break;
      }
      case Block::kParagraph: out += "<p>" + escape_xml(b.text) + "</p>\n"; break;
      case Block::kFacts:
        out += "<dl class=\"facts\">\n";
        for (const auto& [label, value] : b.facts) out += "<dt>" + escape_xml(label) + "</dt><dd>" + escape_xml(value) + "</dd>\n";
        out += "</dl>\n";
        break;
      case Block::kTable: out += table_html(b.table); break;
      case Block::kChart: out += "<figure>\n" + b.svg + "<figcaption>" + escape_xml(b.text) + "</figcaption>\n</figure>\n"; break;
    }
  }
  return out + "</main>\n</body>\n</html>\n";
}

}  // namespace t5bench::report
