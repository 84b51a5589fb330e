#pragma once

#include <string>

#include "report/document.h"

namespace t5bench::report {

// Text made literal in Markdown: characters that would start markup or end a table cell are escaped.
std::string escape_markdown(const std::string& text);

// The report as GitHub-flavoured Markdown: every block but the charts, which the line under the title
// points to in `html_name`.
std::string render_markdown(const Document& doc, const std::string& html_name);

}  // namespace t5bench::report
