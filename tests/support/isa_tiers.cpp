#include "support/isa_tiers.h"

namespace t5test {

testing::internal::ParamGenerator<t5::IsaTier> host_tiers() { return testing::ValuesIn(t5::host_isa_tiers()); }

std::string tier_name(const testing::TestParamInfo<t5::IsaTier>& info) { return t5::isa_tier_name(info.param); }

ActiveTier::ActiveTier(t5::IsaTier tier) : previous_(t5::active_isa_tier()) { t5::set_isa_tier(tier); }

ActiveTier::~ActiveTier() { t5::set_isa_tier(previous_); }

}  // namespace t5test
