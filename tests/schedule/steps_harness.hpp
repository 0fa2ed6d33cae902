// tests/schedule/steps_harness.hpp — HostHarness for the fixture-steps plugin: accounts with
// its step settings, a schedule that is due now, the marker files its finished steps leave
// (one folder per job identity), and JSON helpers. Shared by the shutdown and lease tests.
#pragma once

#include <set>
#include <sstream>
#include <vector>

#include "host_harness.hpp"
#include "schedule/schedule_store.hpp"

namespace automuse::testing {

class StepsHarness : public HostHarness {
 protected:
  std::string plugin_dir() const override { return std::string(FIXTURE_ROOT) + "/steps"; }

  void add_account(const std::string &nickname, const std::string &sets) {
    auto [code, out] =
        host("accounts add --plugin fixture-steps --nickname " + nickname + " " + sets);
    ASSERT_EQ(code, 0) << out << read(root_ / "stderr.txt");
  }
  // A daily schedule of `action` for `nickname` whose last firing was two days ago: due now.
  std::string due_schedule(const std::string &nickname, const std::string &action) {
    auto [code, out] = host("schedule add --plugin fixture-steps --account " + nickname +
                            " --action " + action + " --preset daily");
    EXPECT_EQ(code, 0) << out;
    std::string id;
    const boost::json::value list = boost::json::parse(host("schedule list --json").second);
    for (auto &s : list.as_array())
      if (s.at("account") == boost::json::value(nickname)) id = std::string(s.at("id").as_string());
    automuse::schedule::ScheduleStore store(store_location());
    store.set_last_fire(id, automuse::schedule::now_seconds() - 2 * 24 * 3600);
    return id;
  }
  // The steps finished so far by the job(s) of fixture-steps, as marker files "JOB/step-K".
  fs::path jobs_dir() const { return root_ / "data/automuse/plugins-data/fixture-steps/jobs"; }
  std::set<std::string> markers() const {
    std::set<std::string> out;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(jobs_dir(), ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
      if (it->is_regular_file())
        out.insert(it->path().parent_path().filename().string() + "/" +
                   it->path().filename().string());
    return out;
  }
  // Finished steps only: a step being written when the process was killed may leave a ".tmp".
  std::set<std::string> finished() const {
    std::set<std::string> out;
    for (auto &m : markers())
      if (m.find(".tmp") == std::string::npos) out.insert(m);
    return out;
  }
  // How many jobs have finished at least one step.
  size_t jobs_with_finished_steps() const {
    std::set<std::string> jobs;
    for (auto &m : finished()) jobs.insert(m.substr(0, m.find('/')));
    return jobs.size();
  }
  // The second `--accounts all` run after an interrupted one: every account's line is "ok",
  // together they skipped `finished_before` steps, and each of the `accounts` interrupted
  // runs was taken over by exactly one new run.
  void expect_all_resumed(const std::string &out, size_t finished_before, size_t accounts) {
    size_t resumed_steps = 0;
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
      auto v = boost::json::parse(line);
      EXPECT_EQ(v.at("status"), "ok") << line;
      resumed_steps += v.at("result").at("resumed").as_array().size();
    }
    EXPECT_EQ(resumed_steps, finished_before);
    auto after = runs();
    ASSERT_EQ(after.size(), 2 * accounts);
    std::set<std::string> old_ids, resume_links;
    for (auto &r : after) {
      if (r.at("status") == "resumed") old_ids.insert(std::string(r.at("id").as_string()));
      if (r.at("status") == "succeeded")
        resume_links.insert(std::string(r.at("resume_of").as_string()));
    }
    EXPECT_EQ(old_ids.size(), accounts);
    EXPECT_EQ(old_ids, resume_links);
  }
  static std::vector<int64_t> ints(const boost::json::value &array) {
    std::vector<int64_t> out;
    for (auto &v : array.as_array()) out.push_back(v.as_int64());
    return out;
  }
};

}  // namespace automuse::testing
