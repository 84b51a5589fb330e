// Teacher forcing: fed the model's own greedy output it sees exactly the logits greedy generation saw; fed
// another output, the steps up to the change are unchanged and the later ones follow the given prefix.

#include <gtest/gtest.h>

#include "cli/model_args.h"
#include "support/shared_data.h"
#include "t5.h"

namespace {

using StepRows = std::vector<std::vector<float>>;

t5::StepObserver record(StepRows& rows) {
  return [&rows](int step, const float* logits, int vocab) {
    EXPECT_EQ(step, static_cast<int>(rows.size()));
    rows.emplace_back(logits, logits + vocab);
  };
}

TEST(TeacherForcing, FedItsOwnOutputSeesGreedyGenerationsLogitsBitForBit) {
  T5_REQUIRE_SHARED_DATA();
  t5::Engine engine(t5test::shared_model(), 2);
  engine.set_switches(t5bench::parse_configuration("optimized"));
  const std::vector<int32_t> input = t5test::shared_model().tokenizer()->encode("Repeat after me: the quiet dog sees a red bird", "prompt");
  StepRows greedy, forced, changed;
  const t5::Generation g = engine.generate(input, {}, record(greedy));
  ASSERT_GE(g.output_ids.size(), 4u);
  engine.teacher_force(input, g.output_ids, record(forced));
  ASSERT_EQ(forced.size(), g.output_ids.size());
  for (size_t s = 0; s < forced.size(); ++s) EXPECT_EQ(forced[s], greedy[s]) << "step " << s;

  // Output id 1 changed: step 2 is fed it, so steps 0 and 1 are still greedy's and step 2 is not.
  std::vector<int32_t> other = g.output_ids;
  other[1] = other[1] == 5 ? 6 : 5;
  engine.teacher_force(input, other, record(changed));
  ASSERT_EQ(changed.size(), other.size());
  EXPECT_EQ(changed[0], greedy[0]);
  EXPECT_EQ(changed[1], greedy[1]);
  EXPECT_NE(changed[2], greedy[2]);
}

TEST(TeacherForcing, RefusesIdsOutsideTheVocabulary) {
  T5_REQUIRE_SHARED_DATA();
  t5::Engine engine(t5test::shared_model(), 1);
  try {
    engine.teacher_force({37, 1}, {5, 32128}, {});
    FAIL() << "no error";
  } catch (const std::exception& e) {
    EXPECT_STREQ(e.what(), "teacher forcing: output id 32128 at step 1 is outside the vocabulary of 32128");
  }
}

}  // namespace
