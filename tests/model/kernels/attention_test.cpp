#include "kernels/attention.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "support/isa_tiers.h"

namespace {

struct Shape {
  int lq, lk, heads, d_kv;
};

// softmax(q·k + bias)·v per head in double precision.
std::vector<float> reference(const Shape& s, const std::vector<float>& q, const std::vector<float>& k,
                             const std::vector<float>& v, int ld, const std::vector<float>& bias) {
  const int inner = s.heads * s.d_kv;
  std::vector<float> out(static_cast<size_t>(s.lq) * inner);
  for (int h = 0; h < s.heads; ++h)
    for (int i = 0; i < s.lq; ++i) {
      std::vector<double> p(static_cast<size_t>(s.lk));
      double max = -1e300, sum = 0;
      for (int j = 0; j < s.lk; ++j) {
        double dot = 0;
        for (int d = 0; d < s.d_kv; ++d)
          dot += double(q[static_cast<size_t>(i) * ld + h * s.d_kv + d]) * k[static_cast<size_t>(j) * ld + h * s.d_kv + d];
        if (!bias.empty()) dot += bias[(static_cast<size_t>(h) * s.lq + i) * s.lk + j];
        p[static_cast<size_t>(j)] = dot;
        max = std::max(max, dot);
      }
      for (double& x : p) sum += (x = std::exp(x - max));
      for (int d = 0; d < s.d_kv; ++d) {
        double acc = 0;
        for (int j = 0; j < s.lk; ++j) acc += p[static_cast<size_t>(j)] * v[static_cast<size_t>(j) * ld + h * s.d_kv + d];
        out[static_cast<size_t>(i) * inner + h * s.d_kv + d] = static_cast<float>(acc / sum);
      }
    }
  return out;
}

class AttentionTest : public testing::TestWithParam<std::tuple<t5::IsaTier, Shape>> {};

TEST_P(AttentionTest, MaterializedFusedAndDecodeAgreeWithDoublePrecision) {
  const t5test::ActiveTier tier(std::get<0>(GetParam()));
  const Shape s = std::get<1>(GetParam());
  const int inner = s.heads * s.d_kv, ld = inner + 3;  // strided rows, as in the packed qkv buffer
  std::mt19937 rng(42);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  auto fill = [&](int rows) {
    std::vector<float> x(static_cast<size_t>(rows) * ld);
    for (float& f : x) f = normal(rng);
    return x;
  };
  const std::vector<float> q = fill(s.lq), k = fill(s.lk), v = fill(s.lk);
  // The bias depends on the distance j - i only, like T5's: a table and its materialized form.
  const int min_distance = -(s.lq - 1), distances = s.lq + s.lk - 1;
  std::vector<float> table(static_cast<size_t>(s.heads) * distances);
  for (float& f : table) f = 2.0f * normal(rng);
  std::vector<float> bias(static_cast<size_t>(s.heads) * s.lq * s.lk);
  for (int h = 0; h < s.heads; ++h)
    for (int i = 0; i < s.lq; ++i)
      for (int j = 0; j < s.lk; ++j)
        bias[(static_cast<size_t>(h) * s.lq + i) * s.lk + j] = table[static_cast<size_t>(h) * distances + (j - i) - min_distance];
  const std::vector<float> expected = reference(s, q, k, v, ld, bias);

  std::vector<float> materialized(static_cast<size_t>(s.lq) * inner), fused(materialized.size());
  t5::AttentionArgs args{q.data(), ld, k.data(), ld, v.data(), ld, materialized.data(), inner, s.lq, s.lk, s.heads, s.d_kv};
  std::vector<double> scores(static_cast<size_t>(s.lq) * s.lk);
  std::vector<float> probabilities(scores.size());
  for (int h = 0; h < s.heads; ++h)
    t5::attention_materialized(args, h, bias.data() + static_cast<size_t>(h) * s.lq * s.lk, scores.data(),
                               probabilities.data());

  args.out = fused.data();
  const int lk_stride = (s.lk + 15) / 16 * 16;
  std::vector<float> kt(static_cast<size_t>(s.d_kv) * lk_stride);
  const t5::DistanceBias by_distance{table.data() - min_distance, distances, 0};
  for (int h = 0; h < s.heads; ++h) {
    t5::transpose_keys(args, h, kt.data(), lk_stride);
    t5::attention_fused(args, h, 0, s.lq / 2, kt.data(), lk_stride, &by_distance);  // split like the tasks
    t5::attention_fused(args, h, s.lq / 2, s.lq, kt.data(), lk_stride, &by_distance);
  }
  for (size_t i = 0; i < expected.size(); ++i) {
    ASSERT_NEAR(materialized[i], expected[i], 1e-4f) << "materialized at " << i;
    ASSERT_NEAR(fused[i], expected[i], 1e-4f) << "fused at " << i;
  }

  // The last query row as a decode step over the same keys.
  const int last = s.lq - 1;
  std::vector<const float*> key_rows, value_rows;
  for (int j = 0; j < s.lk; ++j) {
    key_rows.push_back(k.data() + static_cast<size_t>(j) * ld);
    value_rows.push_back(v.data() + static_cast<size_t>(j) * ld);
  }
  std::vector<float> step_bias(static_cast<size_t>(s.heads) * s.lk), decoded(static_cast<size_t>(inner));
  for (int h = 0; h < s.heads; ++h)
    for (int j = 0; j < s.lk; ++j)
      step_bias[static_cast<size_t>(h) * s.lk + j] = bias[(static_cast<size_t>(h) * s.lq + last) * s.lk + j];
  std::vector<double> decode_scores(static_cast<size_t>(s.lk));
  t5::attention_decode(q.data() + static_cast<size_t>(last) * ld, key_rows.data(), value_rows.data(), s.lk, 0, s.heads,
                       s.d_kv, step_bias.data(), s.lk, decode_scores.data(), decoded.data());
  for (int i = 0; i < inner; ++i)
    ASSERT_NEAR(decoded[static_cast<size_t>(i)], expected[static_cast<size_t>(last) * inner + i], 1e-4f) << "decode at " << i;
}

INSTANTIATE_TEST_SUITE_P(Shapes, AttentionTest,
                         testing::Combine(t5test::host_tiers(),
                                          testing::Values(Shape{1, 1, 2, 64}, Shape{5, 5, 3, 64}, Shape{17, 17, 6, 64},
                                                          Shape{33, 130, 2, 64}, Shape{9, 9, 2, 128},
                                                          Shape{7, 21, 2, 24})),
                         [](const auto& info) {
                           return std::string(t5::isa_tier_name(std::get<0>(info.param))) + "_" +
                                  std::to_string(info.index);
                         });

class AttentionTierTest : public t5test::TierTest {};

TEST_P(AttentionTierTest, NoBiasMeansPlainSoftmax) {
  const Shape s{3, 40, 2, 64};
  const int inner = s.heads * s.d_kv;
  std::mt19937 rng(9);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> q(static_cast<size_t>(s.lq) * inner), k(static_cast<size_t>(s.lk) * inner), v(k.size());
  for (auto* x : {&q, &k, &v})
    for (float& f : *x) f = normal(rng);
  const std::vector<float> expected = reference(s, q, k, v, inner, {});
  std::vector<float> out(static_cast<size_t>(s.lq) * inner);
  t5::AttentionArgs args{q.data(), inner, k.data(), inner, v.data(), inner, out.data(), inner, s.lq, s.lk, s.heads, s.d_kv};
  const int lk_stride = 48;
  std::vector<float> kt(static_cast<size_t>(s.d_kv) * lk_stride);
  for (int h = 0; h < s.heads; ++h) {
    t5::transpose_keys(args, h, kt.data(), lk_stride);
    t5::attention_fused(args, h, 0, s.lq, kt.data(), lk_stride, nullptr);
  }
  for (size_t i = 0; i < out.size(); ++i) ASSERT_NEAR(out[i], expected[i], 1e-4f);
}

INSTANTIATE_TEST_SUITE_P(Tiers, AttentionTierTest, t5test::host_tiers(), t5test::tier_name);

}  // namespace
