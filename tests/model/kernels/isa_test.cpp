#include "kernels/isa.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

namespace {

t5::CpuFeatures avx2_host() {  // the Zen 3 CI host
  t5::CpuFeatures f;
  f.avx2 = f.fma = f.f16c = f.os_saves_ymm = true;
  return f;
}

t5::CpuFeatures avx512_bf16_host() {  // the Zen 5 CI host
  t5::CpuFeatures f = avx2_host();
  f.avx512f = f.avx512bw = f.avx512vl = f.avx512dq = f.os_saves_zmm = true;
  f.avx512_bf16 = f.avx512_vnni = true;
  return f;
}

TEST(Isa, TierNamesRoundTrip) {
  for (t5::IsaTier tier : t5::kIsaTiers) {
    t5::IsaTier parsed;
    ASSERT_TRUE(t5::parse_isa_tier(t5::isa_tier_name(tier), &parsed));
    EXPECT_EQ(parsed, tier);
  }
  t5::IsaTier parsed;
  EXPECT_FALSE(t5::parse_isa_tier("AVX2", &parsed));
  EXPECT_FALSE(t5::parse_isa_tier("", &parsed));
}

TEST(Isa, EachHostGetsTheBestTierItRuns) {
  EXPECT_EQ(t5::best_isa_tier(t5::CpuFeatures{}), t5::IsaTier::Generic);
  EXPECT_EQ(t5::best_isa_tier(avx2_host()), t5::IsaTier::Avx2);
  EXPECT_EQ(t5::best_isa_tier(avx512_bf16_host()), t5::IsaTier::Avx512Bf16);
  t5::CpuFeatures skylake = avx512_bf16_host();
  skylake.avx512_bf16 = skylake.avx512_vnni = false;
  EXPECT_EQ(t5::best_isa_tier(skylake), t5::IsaTier::Avx512);
  EXPECT_EQ(t5::supported_isa_tiers(skylake),
            (std::vector<t5::IsaTier>{t5::IsaTier::Generic, t5::IsaTier::Avx2, t5::IsaTier::Avx512}));
}

// The CPU may have the instructions while the OS does not save their registers: then they cannot be used.
TEST(Isa, RegistersTheOsDoesNotSaveRuleATierOut) {
  t5::CpuFeatures f = avx512_bf16_host();
  f.os_saves_zmm = false;
  EXPECT_EQ(t5::best_isa_tier(f), t5::IsaTier::Avx2);
  EXPECT_EQ(t5::missing_for_tier(t5::IsaTier::Avx512, f), "OS support for zmm registers");
  f.os_saves_ymm = false;
  EXPECT_EQ(t5::best_isa_tier(f), t5::IsaTier::Generic);
}

TEST(Isa, MissingNamesEveryAbsentFeature) {
  EXPECT_EQ(t5::missing_for_tier(t5::IsaTier::Avx512Bf16, avx2_host()),
            "avx512f, avx512bw, avx512vl, avx512dq, OS support for zmm registers, avx512_bf16, avx512_vnni");
  EXPECT_EQ(t5::missing_for_tier(t5::IsaTier::Avx2, avx2_host()), "");
  EXPECT_EQ(t5::missing_for_tier(t5::IsaTier::Generic, t5::CpuFeatures{}), "");
}

// What this machine's CPUID says agrees with /proc/cpuinfo's flags.
TEST(Isa, DetectionAgreesWithTheKernelsFlags) {
  const t5::CpuFeatures f = t5::detect_cpu_features();
  FILE* cpuinfo = std::fopen("/proc/cpuinfo", "r");
  if (!cpuinfo) GTEST_SKIP() << "no /proc/cpuinfo";
  std::string text;
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, cpuinfo)) > 0;) text.append(buffer, n);
  std::fclose(cpuinfo);
  auto flag = [&](const std::string& name) { return text.find(" " + name + " ") != std::string::npos ||
                                                    text.find(" " + name + "\n") != std::string::npos; };
  EXPECT_EQ(f.avx2, flag("avx2"));
  EXPECT_EQ(f.fma, flag("fma"));
  EXPECT_EQ(f.avx512f, flag("avx512f"));
  EXPECT_EQ(f.avx512bw, flag("avx512bw"));
  EXPECT_EQ(f.avx512_bf16, flag("avx512_bf16"));
  EXPECT_EQ(f.avx512_vnni, flag("avx512_vnni"));
}

}  // namespace
