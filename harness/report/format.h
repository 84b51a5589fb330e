#pragma once

#include <string>

namespace t5bench::report {

// How reports print numbers, the same in every table and chart label.
std::string fixed(double value, int decimals);  // "57.7" for (57.748, 1)
std::string ms(double value);                   // milliseconds: one decimal
std::string ratio(double value);                // "0.714×": three decimals
std::string percent(double rate);               // "97.5%"; "99.97%", not "100.0%", for a rate below 1
std::string scientific(double value);           // "3.05e-05", for errors spanning magnitudes
std::string commit_text(const std::string& commit, bool dirty);  // "298ece1721a1 (dirty)"

}  // namespace t5bench::report
