// tests/schedule/options_test.cpp — schedules carry their action's options: `schedule add
// --option KEY=VALUE` keeps them (the value as typed), `schedule list` shows them, and run-due
// and the daemon fire with them (the fixture's echo action returns what it was given). Keys
// are checked against the real plugins' describe(): an unknown one is refused naming the
// plugin, the action and the option, and nothing is stored.
#include "host_harness.hpp"
#include "schedule/schedule_store.hpp"

namespace json = boost::json;

namespace {

class ScheduleOptions : public automuse::testing::HostHarness {
 protected:
  std::string plugin_dir() const override { return std::string(FIXTURE_ROOT) + "/good"; }

  // A yearly echo schedule for bob with two options; its last firing backdated, so it is due.
  std::string due_schedule() {
    EXPECT_EQ(host("accounts add --plugin fixture-good --nickname bob").first, 0);
    auto [code, out] = host(
        "schedule add --plugin fixture-good --account bob --action echo --cron '0 0 1 1 *' "
        "--option greeting=hello --option 'note=two words, = one sign' --option width=270");
    EXPECT_EQ(code, 0) << read(root_ / "stderr.txt");
    EXPECT_NE(out.find("--greeting hello"), std::string::npos) << out;
    auto list = json::parse(host("schedule list --json").second).as_array();
    EXPECT_EQ(list.size(), 1u);
    std::string id(list.at(0).at("id").as_string());
    automuse::schedule::ScheduleStore store(store_location());
    store.set_last_fire(id, automuse::schedule::now_seconds() - 2 * 366 * 24 * 3600);
    return id;
  }

  // The options the echo action received in the newest run.
  static json::object fired_options(const json::array &runs) {
    return runs.at(0).at("result").at("options").as_object();
  }
  static json::object expected() {
    return json::object{{"greeting", "hello"}, {"note", "two words, = one sign"}, {"width", "270"}};
  }
};

class RealPluginOptions : public automuse::testing::HostHarness {
 protected:
  std::string plugin_dir() const override { return PLUGIN_DIR; }
  std::string stderr_text() const { return read(root_ / "stderr.txt"); }
};

}  // namespace

TEST_F(ScheduleOptions, ListShowsTheOptionsAsTyped) {
  due_schedule();
  auto list = json::parse(host("schedule list --json").second).as_array();
  EXPECT_EQ(list.at(0).at("options"), expected());
  auto [code, text] = host("schedule list");
  EXPECT_EQ(code, 0);
  EXPECT_NE(text.find("echo for bob --greeting hello --note 'two words, = one sign' --width 270"),
            std::string::npos)
      << text;
}

TEST_F(ScheduleOptions, RunDueFiresWithTheOptions) {
  std::string id = due_schedule();
  auto [code, out] = host("run-due");
  EXPECT_EQ(code, 0) << out;
  auto r = runs();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].at("schedule"), json::value(id));
  EXPECT_EQ(r[0].at("status"), "succeeded");
  EXPECT_EQ(fired_options(r), expected());
  EXPECT_EQ(r[0].at("request").at("sets"),
            (json::array{"greeting=hello", "note=two words, = one sign", "width=270"}));
}

TEST_F(ScheduleOptions, TheDaemonFiresWithTheOptions) {
  due_schedule();
  start("daemon");
  json::array r;
  EXPECT_TRUE(eventually([&] {
    r = runs();
    return !r.empty() && r[0].at("status") != "running";
  }));
  signal(SIGTERM);
  EXPECT_EQ(wait_exit(std::chrono::seconds(20)), 0);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].at("status"), "succeeded");
  EXPECT_EQ(fired_options(r), expected());
}

TEST_F(ScheduleOptions, WithoutOptionsTheRequestIsEmpty) {
  EXPECT_EQ(host("schedule add --plugin fixture-good --action echo --preset daily").first, 0);
  auto list = json::parse(host("schedule list --json").second).as_array();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list.at(0).at("options"), json::object{});
}

TEST_F(ScheduleOptions, AnOptionWithoutAValueIsRefused) {
  auto [code, out] =
      host("schedule add --plugin fixture-good --action echo --preset daily --option width");
  EXPECT_EQ(code, 2);
  EXPECT_NE(read(root_ / "stderr.txt").find("--option expects KEY=VALUE, got 'width'"),
            std::string::npos)
      << read(root_ / "stderr.txt");
  EXPECT_EQ(json::parse(host("schedule list --json").second).as_array().size(), 0u);
}

TEST_F(RealPluginOptions, TheYoutubeRunOptionsAreAccepted) {
  auto [code, out] = host(
      "schedule add --plugin youtube --action run --preset twice --option width=270 "
      "--option height=480 --option also-publish=twitter:main --option sentences=2");
  ASSERT_EQ(code, 0) << stderr_text();
  auto list = json::parse(host("schedule list --json").second).as_array();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list.at(0).at("options"), (json::object{{"width", "270"},
                                                    {"height", "480"},
                                                    {"also-publish", "twitter:main"},
                                                    {"sentences", "2"}}));
}

TEST_F(RealPluginOptions, AnUnknownOptionIsRefusedNamingPluginActionAndOption) {
  auto [code, out] = host(
      "schedule add --plugin youtube --action run --preset daily "
      "--option width=270 --option colour=red");
  EXPECT_EQ(code, 2);
  const std::string err = stderr_text();
  EXPECT_NE(err.find("plugin 'youtube', action 'run' has no option 'colour'"), std::string::npos)
      << err;
  EXPECT_NE(err.find("also-publish"), std::string::npos) << "the options are listed: " << err;
  // twitter's run declares no options at all.
  std::tie(code, out) =
      host("schedule add --plugin twitter --action run --preset daily --option topic=cats");
  EXPECT_EQ(code, 2);
  EXPECT_NE(stderr_text().find("plugin 'twitter', action 'run' has no option 'topic'"),
            std::string::npos)
      << stderr_text();
  EXPECT_EQ(json::parse(host("schedule list --json").second).as_array().size(), 0u);
}

TEST_F(RealPluginOptions, AnUnknownActionOrPluginIsNamed) {
  auto [code, out] =
      host("schedule add --plugin youtube --action dance --preset daily --option width=270");
  EXPECT_EQ(code, 2);
  EXPECT_NE(stderr_text().find("plugin 'youtube' has no action 'dance'"), std::string::npos)
      << stderr_text();
  std::tie(code, out) =
      host("schedule add --plugin nosuch --action run --preset daily --option width=270");
  EXPECT_EQ(code, 2);
  EXPECT_NE(stderr_text().find("no plugin 'nosuch' is installed"), std::string::npos)
      << stderr_text();
  EXPECT_EQ(json::parse(host("schedule list --json").second).as_array().size(), 0u);
}
