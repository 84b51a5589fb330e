// Batched generation: each row of a batch decodes exactly as the prompt does alone.

#include <gtest/gtest.h>

#include "suites/reference_suite.h"
#include "support/shared_data.h"
#include "t5.h"

namespace {

TEST(BatchGeneration, EveryRowEqualsItsBatchOneOutputOnSuiteDev) {
  T5_REQUIRE_SHARED_DATA();
  const t5::Model* model = &t5test::shared_model();
  t5::Engine engine(*model, 2);
  engine.set_switches(t5::Switches::optimized());
  const t5bench::ReferenceSuite suite = t5bench::load_reference_suite(t5test::reference_path("suite-dev.json"));
  t5::GenerateOptions options;
  options.max_new_tokens = suite.max_new_tokens;
  std::vector<std::vector<int32_t>> alone;
  for (const t5bench::ReferenceCase& c : suite.cases) alone.push_back(engine.generate(c.greedy.input_ids, options).output_ids);
  for (const size_t batch : {8u, 32u}) {
    int rows = 0, equal = 0;
    for (size_t first = 0; first < suite.cases.size(); first += batch) {
      std::vector<std::vector<int32_t>> inputs;
      for (size_t i = first; i < std::min(suite.cases.size(), first + batch); ++i) inputs.push_back(suite.cases[i].greedy.input_ids);
      const t5::BatchGeneration g = engine.generate_batch(inputs, options);
      ASSERT_EQ(g.output_ids.size(), inputs.size());
      for (size_t r = 0; r < inputs.size(); ++r) {
        ++rows;
        equal += g.output_ids[r] == alone[first + r];
        EXPECT_EQ(g.output_ids[r], alone[first + r]) << "batch " << batch << " row " << r << " (" << suite.cases[first + r].id << ")";
      }
    }
    std::printf("batch %zu: %d of %d rows equal their batch-1 output\n", batch, equal, rows);
  }
}

TEST(BatchGeneration, RowsStopAtTheirOwnEos) {
  T5_REQUIRE_SHARED_DATA();
  const t5::Model* model = &t5test::shared_model();
  t5::Engine engine(*model, 2);
  const t5::Tokenizer& tokenizer = *model->tokenizer();
  t5::GenerateOptions options;
  options.max_new_tokens = 20;
  std::vector<int> steps_seen(3, 0);
  const t5::BatchGeneration g = engine.generate_batch(
      {tokenizer.encode("23 - 23 =", "a"), tokenizer.encode("Repeat after me: the quiet dog chases a red ball", "b"),
       tokenizer.encode("23 - 23 =", "c")},
      options, [&](int row, int, const float*, int) { ++steps_seen[static_cast<size_t>(row)]; });
  EXPECT_EQ(g.output_ids[0], (std::vector<int32_t>{3, 632, 1}));
  EXPECT_EQ(g.output_ids[2], g.output_ids[0]);
  EXPECT_GT(g.output_ids[1].size(), 3u);
  // A finished row gets no more steps.
  EXPECT_EQ(steps_seen[0], 3);
  EXPECT_EQ(steps_seen[2], 3);
  EXPECT_EQ(steps_seen[1], static_cast<int>(g.output_ids[1].size()));
}

}  // namespace
