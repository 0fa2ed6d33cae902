// tests/schedule/limits_test.cpp — the limits of many accounts at once, through automuse-host
// and the fixture-steps plugin: limits.renders bounds how many jobs hold a worker-pool
// thread at the same time (renders run there), limits.network_jobs bounds the jobs in flight,
// and one account never runs two jobs at once. Each limit is also shown not to bind when
// raised, so the checks could fail.
#include <algorithm>

#include "host_harness.hpp"

namespace json = boost::json;

namespace {

struct Span {
  int64_t start, end;
  std::string account;
};

class Limits : public automuse::testing::HostHarness {
 protected:
  std::string plugin_dir() const override { return std::string(FIXTURE_ROOT) + "/steps"; }

  void add_accounts(int n, const std::string &sets) {
    for (int i = 0; i < n; ++i)
      ASSERT_EQ(
          host("accounts add --plugin fixture-steps --nickname a" + std::to_string(i) + " " + sets)
              .first,
          0);
  }
  // Runs ACTION for ACCOUNTS; the [start, end] of each result (in the order they finished).
  std::vector<Span> run(const std::string &action, const std::string &accounts) {
    auto [code, out] = host("--plugin fixture-steps " + action + " --accounts " + accounts);
    EXPECT_EQ(code, 0) << out << read(root_ / "stderr.txt");
    std::vector<Span> spans;
    std::string line;
    for (char c : out) {
      if (c != '\n') {
        line += c;
        continue;
      }
      auto v = json::parse(line);
      auto &r = v.at("result");
      spans.push_back({r.at("start").as_int64(), r.at("end").as_int64(),
                       std::string(v.at("account").as_string())});
      line.clear();
    }
    return spans;
  }
  // The most spans open at one instant.
  static int peak(const std::vector<Span> &spans) {
    std::vector<std::pair<int64_t, int>> edges;
    for (auto &s : spans) edges.push_back({s.start, 1}), edges.push_back({s.end, -1});
    std::sort(edges.begin(), edges.end());  // an end before a start at the same instant
    int open = 0, most = 0;
    for (auto &[t, d] : edges) most = std::max(most, open += d);
    return most;
  }
};

}  // namespace

TEST_F(Limits, RendersBoundJobsOnTheWorkerPool) {
  add_accounts(3, "--set work_ms=400");
  write_config(R"({"limits": {"renders": 1}})");
  auto one = run("work", "all");
  ASSERT_EQ(one.size(), 3u);
  EXPECT_EQ(peak(one), 1);
  write_config(R"({"limits": {"renders": 3}})");
  auto three = run("work", "all");
  ASSERT_EQ(three.size(), 3u);
  EXPECT_GE(peak(three), 2) << "with three workers the jobs overlap";
}

TEST_F(Limits, NetworkJobsBoundJobsInFlight) {
  add_accounts(4, "--set steps=2 --set step_ms=250");
  write_config(R"({"limits": {"network_jobs": 2}})");
  auto two = run("steps", "all");
  ASSERT_EQ(two.size(), 4u);
  EXPECT_EQ(peak(two), 2);
  write_config("{}");  // the default, 16
  auto all = run("steps", "all");
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(peak(all), 4);
}

TEST_F(Limits, OneJobAtATimePerAccount) {
  add_accounts(2, "--set steps=2 --set step_ms=250");
  auto spans = run("steps", "a0,a0,a1");
  ASSERT_EQ(spans.size(), 3u);
  std::vector<Span> a0;
  for (auto &s : spans)
    if (s.account == "a0") a0.push_back(s);
  ASSERT_EQ(a0.size(), 2u);
  EXPECT_EQ(peak(a0), 1) << "a0's two jobs ran one after the other";
  EXPECT_EQ(peak(spans), 2) << "a1 ran alongside";
}
