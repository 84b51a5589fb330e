// A stream of requests gives each request's own output, in order, with and without the overlap pipeline.

#include <gtest/gtest.h>

#include "suites/reference_suite.h"
#include "support/shared_data.h"
#include "t5.h"

namespace {

TEST(Stream, OverlappedRequestsMatchTheirOwnOutputsInOrder) {
  T5_REQUIRE_SHARED_DATA();
  const t5::Model* model = &t5test::shared_model();
  t5::Engine engine(*model, 2);
  const t5bench::ReferenceSuite suite = t5bench::load_reference_suite(t5test::reference_path("suite-dev.json"));
  std::vector<std::vector<int32_t>> requests;
  for (size_t i = 0; i < 60; ++i) requests.push_back(suite.cases[i].greedy.input_ids);
  t5::GenerateOptions options;
  options.max_new_tokens = suite.max_new_tokens;
  for (const bool overlap : {false, true}) {
    t5::Switches switches = t5::Switches::optimized();
    switches.overlap = overlap;
    engine.set_switches(switches);
    std::vector<size_t> order;
    engine.generate_stream(requests, options, [&](size_t request, const t5::Generation& g) {
      order.push_back(request);
      EXPECT_EQ(g.output_ids, suite.cases[request].greedy.output_ids) << suite.cases[request].id << " overlap " << overlap;
      EXPECT_GT(g.encoder_seconds, 0);
      EXPECT_EQ(g.step_seconds.size(), g.output_ids.size());
    });
    ASSERT_EQ(order.size(), requests.size());
    for (size_t i = 0; i < order.size(); ++i) EXPECT_EQ(order[i], i);
  }
}

TEST(Stream, AnExceptionInTheCallbackReachesTheCaller) {
  T5_REQUIRE_SHARED_DATA();
  const t5::Model* model = &t5test::shared_model();
  t5::Engine engine(*model, 2);
  engine.set_switches(t5::Switches::optimized());
  const std::vector<std::vector<int32_t>> requests(5, model->tokenizer()->encode("23 - 23 =", "p"));
  int calls = 0;
  EXPECT_THROW(engine.generate_stream(requests, {}, [&](size_t, const t5::Generation&) {
    if (++calls == 2) throw std::runtime_error("disk full");
  }), std::runtime_error);
  EXPECT_EQ(calls, 2);  // no callback after the failure
}

}  // namespace
