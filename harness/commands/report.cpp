// t5bench report: bench and accuracy results as a Markdown summary and one self-contained HTML page
// with charts.

#include <cstdio>
#include <filesystem>

#include "cli/args.h"
#include "commands/commands.h"
#include "core/error.h"
#include "io/atomic_file.h"
#include "report/document.h"
#include "report/html.h"
#include "report/inputs.h"
#include "report/markdown.h"

namespace t5bench {

namespace {

constexpr const char* kDefaultHistory = "reports/history";

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

int run_report(const std::vector<std::string>& argv) {
  Args args("report", argv, {{"out", "title", "history", "notes"}, {"results"}, {}});
  const std::vector<std::string> results = args.all("results");
  if (results.empty()) throw UsageError("missing required option '--results'");
  const std::string out = args.required("out");
  const std::filesystem::path out_path(out);
  if (out_path.filename().empty() || ends_with(out, ".md") || ends_with(out, ".html"))
    throw UsageError("option '--out' takes a name without extension: reports/NAME writes NAME.md and NAME.html");

  // Everything is read and checked before anything is written.
  report::ReportInputs inputs;
  for (const std::string& path : results) report::load_result(path, inputs);
  if (const auto history = args.value("history"))
    inputs.history = report::load_history(*history);
  else if (std::filesystem::is_directory(kDefaultHistory))
    inputs.history = report::load_history(kDefaultHistory);
  if (const auto notes = args.value("notes")) inputs.notes = report::load_notes(*notes, inputs.bench);

  const std::string name = out_path.filename().string();
  const report::Document doc = report::build_report(inputs, args.value("title").value_or("t5bench report: " + name));
  const std::string markdown = report::render_markdown(doc, name + ".html");
  const std::string html = report::render_html(doc);

  if (out_path.has_parent_path()) {
    std::error_code error;
    std::filesystem::create_directories(out_path.parent_path(), error);
    if (error) t5::fail(out_path.parent_path().string(), "cannot create the directory: " + error.message());
  }
  write_files_atomically({{out + ".md", markdown}, {out + ".html", html}});  // both new, or both as they were
  std::printf("wrote %s.md and %s.html\n", out.c_str(), out.c_str());
  return 0;
}

}  // namespace t5bench
