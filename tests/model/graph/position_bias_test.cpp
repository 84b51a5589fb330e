#include "graph/position_bias.h"

#include <gtest/gtest.h>

#include "graph/model.h"
#include "support/shared_data.h"

namespace {

// transformers' buckets for 32 buckets, max distance 128, read off its formula by hand.
TEST(RelativePositionBucket, MatchesTransformersAtTheEdges) {
  // Bidirectional: 16 buckets a side, exact below 8, then logarithmic up to 128, clamped at 15.
  EXPECT_EQ(t5::relative_position_bucket(0, true, 32, 128), 0);
  EXPECT_EQ(t5::relative_position_bucket(-7, true, 32, 128), 7);
  EXPECT_EQ(t5::relative_position_bucket(7, true, 32, 128), 23);
  EXPECT_EQ(t5::relative_position_bucket(-8, true, 32, 128), 8);
  EXPECT_EQ(t5::relative_position_bucket(-12, true, 32, 128), 9);   // 8 + int(log(1.5)/log(16)*8) = 8 + 1
  EXPECT_EQ(t5::relative_position_bucket(-127, true, 32, 128), 15);
  EXPECT_EQ(t5::relative_position_bucket(-1000, true, 32, 128), 15);
  EXPECT_EQ(t5::relative_position_bucket(1000, true, 32, 128), 31);
  // Causal: keys after the query fold to 0; 32 buckets, exact below 16.
  EXPECT_EQ(t5::relative_position_bucket(5, false, 32, 128), 0);
  EXPECT_EQ(t5::relative_position_bucket(-15, false, 32, 128), 15);
  EXPECT_EQ(t5::relative_position_bucket(-16, false, 32, 128), 16);
  EXPECT_EQ(t5::relative_position_bucket(-500, false, 32, 128), 31);
}

class PositionBiasGolden : public testing::Test {
 protected:
  void SetUp() override { T5_REQUIRE_SHARED_DATA(); }

  // Materialized and table forms both reproduce the golden tensor bit for bit.
  static void expect_exact(const t5::PositionBias& bias, const std::vector<float>& golden, int lq, int lk) {
    std::vector<float> materialized(golden.size());
    bias.materialize(0, lq, lk, materialized.data());
    const t5::PositionBias::Table table = bias.table(-(lq - 1), lk - 1);
    int mismatches = 0;
    for (int h = 0; h < bias.heads; ++h)
      for (int i = 0; i < lq; ++i)
        for (int j = 0; j < lk; ++j) {
          const size_t at = (static_cast<size_t>(h) * lq + i) * lk + j;
          mismatches += materialized[at] != golden[at];
          mismatches += table.center()[h * table.head_stride + (j - i)] != golden[at];
        }
    EXPECT_EQ(mismatches, 0);
  }

};

TEST_F(PositionBiasGolden, ShortPromptsExactly) {
  t5::SafetensorsFile golden(t5test::reference_path("golden.safetensors"));
  for (const std::string p : {"p0.", "p1."}) {
    std::vector<int64_t> shape;
    std::vector<float> enc = t5test::read_f32(golden, p + "encoder.position_bias", &shape);
    expect_exact(t5test::shared_model().encoder_bias, enc, static_cast<int>(shape[2]), static_cast<int>(shape[3]));
    std::vector<float> dec = t5test::read_f32(golden, p + "decoder.position_bias", &shape);
    expect_exact(t5test::shared_model().decoder_bias, dec, static_cast<int>(shape[2]), static_cast<int>(shape[3]));
  }
}

TEST_F(PositionBiasGolden, DistancesFarBeyondMaxDistanceExactly) {
  t5::SafetensorsFile golden(t5test::reference_path("golden-long.safetensors"));
  expect_exact(t5test::shared_model().encoder_bias, t5test::read_f32(golden, "encoder.position_bias.L300"), 300, 300);
  expect_exact(t5test::shared_model().decoder_bias, t5test::read_f32(golden, "decoder.position_bias.L300"), 300, 300);
}

}  // namespace
