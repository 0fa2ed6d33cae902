// tests/plugin_loading/lifetime_stress_test.cpp — the lifetime promise under load. The
// fixture-lifetime plugin (plain C) reports its action done from inside start_action, from a
// posted function, a timer, the worker pool and an http completion (a loopback server), then
// keeps running its own code for a millisecond. Every run is loaded, run, drained the way the
// host's action runner drains a job (cancel, wait until nothing is pending, release the
// module) and unloaded; dlopen(RTLD_NOLOAD) then shows the library really is gone. Built with
// AddressSanitizer (ctest plugin_lifetime_under_asan): plugin code running in an unloaded
// library crashes or is reported, and the test fails.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <automuse/cpp/str.hpp>
#include <future>

#include "core/job_service.hpp"
#include "core/runtime.hpp"
#include "http/http_client.hpp"
#include "http/http_service.hpp"
#include "plugins/plugin_module.hpp"
#include "support/fake_server.hpp"

namespace fs = std::filesystem;
using automuse::plugins::PluginModule;

namespace {

const fs::path kPlugin = fs::path(FIXTURE_ROOT) / "lifetime" / "libfixture_lifetime.so";

// Runs per action; AUTOMUSE_LIFETIME_RUNS overrides (a quick look without the fix, say).
int runs_per_action() {
  const char *n = std::getenv("AUTOMUSE_LIFETIME_RUNS");
  return n && *n ? std::atoi(n) : 500;
}

bool still_loaded(const fs::path &path) {
  void *handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);
  if (!handle) return false;
  ::dlclose(handle);  // drop the reference NOLOAD just took
  return true;
}

struct Outcome {
  am_status status = AM_INTERNAL;
  std::string result;
};

class PluginLifetime : public ::testing::Test {
 protected:
  PluginLifetime() {
    ::setenv("AUTOMUSE_LIFETIME_HOLD_US", "1000", 1);
    services_.add(AM_JOB_SERVICE_ID, automuse::core::job_service());
    services_.add(AM_HTTP_SERVICE_ID, http_.table());
    server_.route("GET", "/ok", automuse::testing::Reply::text("ok"));
  }

  // One load, one action, one unload, as automuse-host does it for `--plugin ... ACTION`.
  Outcome run_once(const std::string &action) {
    const std::string args =
        R"({"account":null,"options":{"url":")" + server_.url("/ok") + R"("},"args":[]})";
    auto module = PluginModule::open(kPlugin);
    module->initialise(services_, runtime_);
    auto job = runtime_.make_job("lifetime:" + action, module);
    std::promise<Outcome> promise;
    am_action_call call{sizeof(am_action_call), job.get(),
                        am::to_am_str(action),  am::to_am_str(args),
                        &PluginLifetime::done,  &promise};
    const am_plugin_entry *entry = &module->entry();
    job->post([entry, &call] {
      if (entry->start_action(&call) != AM_OK) done(call.done_user, AM_UNSUPPORTED, {}, {});
    });
    Outcome outcome = promise.get_future().get();
    // The runner's finish and drain: the action is done, its leftovers are cancelled, and the
    // module goes once nothing of the job is pending.
    job->cancel();
    job->wait_idle();
    auto keep_alive = job->release_keep_alive();
    job.reset();
    keep_alive.reset();
    module.reset();  // the last reference: deinit, then dlclose
    return outcome;
  }

  static void done(void *user, am_status status, am_str result, am_str) {
    static_cast<std::promise<Outcome> *>(user)->set_value({status, am::to_string(result)});
  }

  automuse::core::Runtime runtime_{1, 2};
  automuse::core::ServiceRegistry services_;
  automuse::testing::FakeServer server_;
  automuse::http::HttpClient client_{runtime_.io()};
  automuse::http::HttpService http_{client_};
};

}  // namespace

TEST_F(PluginLifetime, DoneFromEveryCallbackThenUnloaded) {
  ASSERT_TRUE(fs::exists(kPlugin)) << kPlugin;
  ASSERT_FALSE(still_loaded(kPlugin));
  const int runs = runs_per_action();
  for (const std::string action : {"inline", "posted", "timer", "pool", "http"}) {
    for (int i = 0; i < runs; ++i) {
      Outcome o = run_once(action);
      ASSERT_EQ(o.status, AM_OK) << action << " run " << i;
      ASSERT_EQ(o.result, "\"" + action + "\"") << action << " run " << i;
      ASSERT_FALSE(still_loaded(kPlugin)) << action << " run " << i << ": not unloaded";
    }
  }
}
