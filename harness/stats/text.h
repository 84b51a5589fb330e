#pragma once

#include <string>

#include "stats/statistics.h"

namespace t5bench {

// How gate, bench and compare print statistics on the terminal.

// "412.3" from 100 to a million, else four significant digits ("0.31", "1e-06").
std::string short_number(double v);

// A Hodges-Lehmann shift and its 95% interval in percent of `reference` (the first sample's median):
// "+17.4% [+16.9%, +17.9%]", or "+17.4% [no 95% interval: too few runs]" when the samples are too small
// to bound it.
std::string shift_percent_text(const Shift& shift, double reference);

}  // namespace t5bench
