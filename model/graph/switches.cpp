#include "graph/switches.h"

#include <stdexcept>

namespace t5 {

namespace {

bool Switches::*member(const std::string& name) {
  if (name == "fused_attention") return &Switches::fused_attention;
  if (name == "preallocated_kv") return &Switches::preallocated_kv;
  if (name == "fused_projections") return &Switches::fused_projections;
  if (name == "pinned_threads") return &Switches::pinned_threads;
  if (name == "overlap") return &Switches::overlap;
  if (name == "blocked_gemv") return &Switches::blocked_gemv;
  if (name == "blocked_gemm") return &Switches::blocked_gemm;
  throw std::invalid_argument("unknown optimization '" + name + "'");
}

}  // namespace

const std::vector<std::string>& Switches::names() {
  static const std::vector<std::string> all = {"fused_attention", "preallocated_kv", "fused_projections",
                                               "pinned_threads",  "overlap",         "blocked_gemv",
                                               "blocked_gemm"};
  return all;
}

bool Switches::get(const std::string& name) const { return this->*member(name); }

void Switches::set(const std::string& name, bool on) { this->*member(name) = on; }

std::string Switches::enabled_list() const {
  std::string list;
  for (const std::string& name : names())
    if (get(name)) list += (list.empty() ? "" : ",") + name;
  return list.empty() ? "none" : list;
}

}  // namespace t5
