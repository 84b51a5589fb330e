#pragma once

#include <string>
#include <utility>
#include <vector>

#include "report/inputs.h"

namespace t5bench::report {

// A report as a list of blocks, built once from the inputs: the Markdown and the HTML render the same
// blocks, so they carry the same content; only the HTML draws the charts.
struct Table {
  std::vector<std::string> header;
  std::vector<bool> numeric;  // right-aligned columns, one flag per header cell
  std::vector<std::vector<std::string>> rows;
};

struct Block {
  enum Kind { kHeading, kParagraph, kFacts, kTable, kChart };
  Kind kind = kParagraph;
  int level = 2;     // kHeading: 2 for a section, 3 for its parts (the title is level 1)
  std::string text;  // kHeading, kParagraph; kChart: its caption
  std::vector<std::pair<std::string, std::string>> facts;  // kFacts: label and value
  Table table;       // kTable
  std::string svg;   // kChart
};

struct Document {
  std::string title;
  std::vector<Block> blocks;
};

// The header (date, machine, commit, model, suites, threads, sources), then for each bench result how it
// was measured, latency, ablation, time per operation, roofline and history (of its machine class), then
// each accuracy result. Bench results of several machine classes get a side-by-side table of their
// headline rows, then a section per class.
Document build_report(const ReportInputs& inputs, const std::string& title);

}  // namespace t5bench::report
