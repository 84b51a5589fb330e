#pragma once

#include <string>

#include "report/document.h"

namespace t5bench::report {

// The report as one self-contained HTML page: inline CSS and inline SVG charts, no scripts, nothing
// fetched from anywhere. All text from the inputs is escaped.
std::string render_html(const Document& doc);

}  // namespace t5bench::report
