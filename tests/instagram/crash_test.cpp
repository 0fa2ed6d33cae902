// tests/instagram/crash_test.cpp — a host killed (SIGKILL) while Instagram processes the Reel's
// container: the container was recorded before anything could be published, so the re-run of
// the same command (a resumed run) finds it, waits for it and publishes that container — one
// container, one Reel, never a second upload.
#include <thread>

#include "instagram_fixture.hpp"

namespace instagram_test {
namespace {

using namespace std::chrono_literals;

TEST_F(InstagramHost, AHostKilledWhileProcessingResumesTheSameContainer) {
  ig_.resumable_with_instagram_login(true);
  ig_.processing_polls(60);  // 60 reads of IN_PROGRESS, 20 ms apart
  add_account();
  put_token();
  // A killed run's lease lapses in 2 s, not 60: the re-run resumes it that soon.
  json::object config =
      json::parse(automuse::testing::read_file(root_ / "automuse.json")).as_object();
  config["queue"] = json::object{{"lease_seconds", 2}, {"poll_seconds", 0.2}};
  std::ofstream(root_ / "automuse.json") << json::serialize(config);
  const std::vector<std::string> args = {"--plugin",      "instagram", "post",
                                         "--account",     "chef",      "--video",
                                         video_.string(), "--caption", "Survives a crash"};
  {
    automuse::testing::HostProcess p(
        automuse::testing::host_argv(automuse::testing::host_exe(HOST_EXE),
                                     automuse::testing::plugin_dir(PLUGIN_DIR), root_, args),
        automuse::testing::sandbox_env(root_));
    // Kill it once it polls the container: by then the container is recorded.
    const auto until = std::chrono::steady_clock::now() + 60s;
    bool polling = false;
    while (!polling && std::chrono::steady_clock::now() < until) {
      for (const auto &req : ig_.graph_server().requests())
        if (req.method == "GET" && req.query.find("status_code") != std::string::npos)
          polling = true;
      std::this_thread::sleep_for(5ms);
    }
    ASSERT_TRUE(polling) << p.err();
    EXPECT_EQ(p.wait(0ms), 128 + SIGKILL);
  }
  ASSERT_TRUE(ig_.reels().empty());
  ASSERT_EQ(ig_.containers().size(), 1u);

  auto r = post("Survives a crash", video_);
  ASSERT_EQ(r.code, 0) << r.err << ::testing::PrintToString(ig_.refusals());
  expect_one_reel(video_, "Survives a crash");
  EXPECT_EQ(ig_.containers().size(), 1u);
  EXPECT_EQ(ig_.rupload_server().requests().size(), 1u);
  EXPECT_NE(r.err.find("an earlier attempt left container"), std::string::npos) << r.err;
  EXPECT_EQ(publications().size(), 1u);
}

}  // namespace
}  // namespace instagram_test
