#include "cli/args.h"

#include <gtest/gtest.h>

#include "cli/model_args.h"

namespace {

using t5bench::Args;
using t5bench::UsageError;

std::string usage_error(const std::vector<std::string>& argv) {
  try {
    Args args("test", argv, Args::Spec{{"n", "name"}, {"result"}, {"verbose"}});
    args.integer("n", 0, 1, 10);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Args, ParsesValuesFlagsAndRepeats) {
  Args args("test", {"--n", "3", "--name=x y", "--verbose", "--result", "a", "--result=b"},
            Args::Spec{{"n", "name"}, {"result"}, {"verbose"}});
  EXPECT_EQ(args.integer("n", 0, 1, 10), 3);
  EXPECT_EQ(args.required("name"), "x y");
  EXPECT_TRUE(args.flag("verbose"));
  EXPECT_EQ(args.all("result"), (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(args.has("other"));
}

TEST(Args, RefusesMistakesWithClearMessages) {
  EXPECT_EQ(usage_error({"--bogus"}), "unknown option '--bogus'");
  EXPECT_EQ(usage_error({"stray"}), "unexpected argument 'stray'");
  EXPECT_EQ(usage_error({"--n"}), "option '--n' needs a value");
  EXPECT_EQ(usage_error({"--n", "x"}), "option '--n': 'x' is not a whole number");
  EXPECT_EQ(usage_error({"--n", "11"}), "option '--n': 11 is outside [1, 10]");
  EXPECT_EQ(usage_error({"--n", "1", "--n", "2"}), "option '--n' given twice");
  EXPECT_EQ(usage_error({"--verbose=yes"}), "option '--verbose' takes no value");
}

TEST(Args, OneOfNeedsExactlyOne) {
  Args both("t", {"--a", "1", "--b", "2"}, Args::Spec{{"a", "b"}, {}, {}});
  EXPECT_THROW(both.one_of({"a", "b"}), UsageError);
  Args none("t", {}, Args::Spec{{"a", "b"}, {}, {}});
  try {
    none.one_of({"a", "b"});
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "one of --a or --b is required");
  }
}

TEST(Configurations, NamesMapToSwitches) {
  EXPECT_EQ(t5bench::parse_configuration("baseline"), t5::Switches::baseline());
  EXPECT_EQ(t5bench::parse_configuration("optimized"), t5::Switches::optimized());
  t5::Switches alone = t5bench::parse_configuration("fused_attention");
  EXPECT_EQ(alone.enabled_list(), "fused_attention");
  t5::Switches all_but = t5bench::parse_configuration("optimized-blocked_gemv");
  EXPECT_FALSE(all_but.blocked_gemv);
  EXPECT_TRUE(all_but.fused_attention);
  EXPECT_THROW(t5bench::parse_configuration("turbo"), UsageError);
}

}  // namespace
