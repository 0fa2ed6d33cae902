// tests/plugin_loading/plugin_module_test.cpp — loading plugins in process: every failure is one
// line naming the file and the cause; a good plugin initialises, runs actions as jobs, and
// stays loaded until the last operation it started has completed.
#include "plugins/plugin_module.hpp"

#include <automuse/version.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <automuse/cpp/str.hpp>
#include <fstream>
#include <future>

#include "capture_log.hpp"
#include "core/job_service.hpp"
#include "core/runtime.hpp"
#include "support/temp_folder.hpp"

namespace fs = std::filesystem;
using automuse::plugins::PluginError;
using automuse::plugins::PluginModule;

namespace {

// The ABI this host speaks, as the host writes it.
const std::string kAbi = std::to_string(AM_ABI_MAJOR) + "." + std::to_string(AM_ABI_MINOR);

fs::path fixture(const std::string &dir, const std::string &file) {
  return fs::path(FIXTURE_ROOT) / dir / file;
}

std::string open_error(const fs::path &p) {
  try {
    PluginModule::open(p);
  } catch (const PluginError &e) {
    return e.what();
  }
  return "";
}

struct Done {
  std::promise<std::tuple<am_status, std::string, std::string>> promise;
  std::atomic<int> calls{0};
  static void fn(void *user, am_status s, am_str result, am_str message) {
    auto *self = static_cast<Done *>(user);
    if (self->calls++ == 0)
      self->promise.set_value({s, am::to_string(result), am::to_string(message)});
  }
};

class LoadedPlugin : public ::testing::Test {
 protected:
  void SetUp() override {
    automuse::testing::CaptureLog::clear();
    services_.add(AM_LOG_SERVICE_ID, log_.table());
    services_.add(AM_JOB_SERVICE_ID, automuse::core::job_service());
  }
  std::tuple<am_status, std::string, std::string> run(std::shared_ptr<PluginModule> &module,
                                                      const std::string &action,
                                                      const std::string &args) {
    auto job = runtime_.make_job("test", module);
    Done done;
    // A call as a 1.0 host made it: no host_data, no set_refusal.
    am_action_call call{};
    call.struct_size = offsetof(am_action_call, host_data);
    call.job = job.get();
    call.action = am::to_am_str(action);
    call.args_json = am::to_am_str(args);
    call.done = &Done::fn;
    call.done_user = &done;
    auto *entry = &module->entry();
    job->post([&] {
      if (entry->start_action(&call) != AM_OK) Done::fn(&done, AM_UNSUPPORTED, {}, {});
    });
    auto r = done.promise.get_future().get();
    last_job_ = job;
    return r;
  }
  automuse::testing::CaptureLog log_;
  automuse::core::Runtime runtime_{1, 2};
  automuse::core::ServiceRegistry services_;
  automuse::core::JobPtr last_job_;
};

}  // namespace

TEST(PluginModuleOpen, NotASharedLibrary) {
  automuse::testing::TempFolder tmp;
  fs::path junk = tmp / "junk-plugin.so";
  { std::ofstream(junk) << "not an ELF file"; }
  auto e = open_error(junk);
  EXPECT_NE(e.find(junk.string()), std::string::npos) << e;
  EXPECT_NE(e.find("not a shared library"), std::string::npos) << e;
}

TEST(PluginModuleOpen, MissingEntrySymbol) {
  auto p = fixture("no_entry", "libfixture_no_entry.so");
  auto e = open_error(p);
  EXPECT_NE(e.find(p.string()), std::string::npos) << e;
  EXPECT_NE(e.find("missing entry symbol 'automuse_plugin_entry'"), std::string::npos) << e;
}

TEST(PluginModuleOpen, UnresolvedSymbolShowsDlerror) {
  auto p = fixture("unresolved", "libfixture_unresolved.so");
  auto e = open_error(p);
  EXPECT_NE(e.find("unresolved symbol"), std::string::npos) << e;
  EXPECT_NE(e.find("automuse_symbol_that_does_not_exist"), std::string::npos) << e;
}

TEST(PluginModuleOpen, MissingDependencyShowsDlerror) {
  auto p = fixture("missing_dep", "libfixture_missing_dep.so");
  auto e = open_error(p);
  EXPECT_NE(e.find("missing dependency"), std::string::npos) << e;
  EXPECT_NE(e.find("libfixture_dependency.so"), std::string::npos) << e;
}

TEST(PluginModuleOpen, AbiMajorDiffers) {
  auto p = fixture("abi_major", "libfixture_abi_major.so");
  auto e = open_error(p);
  EXPECT_NE(e.find("plugin built for SDK ABI 2.0, this host speaks " + kAbi), std::string::npos)
      << e;
  EXPECT_NE(e.find(p.string()), std::string::npos) << e;
}

TEST(PluginModuleOpen, AbiMinorNewer) {
  auto p = fixture("abi_minor", "libfixture_abi_minor.so");
  auto e = open_error(p);
  EXPECT_NE(e.find("plugin built for SDK ABI 1.99, this host speaks " + kAbi), std::string::npos)
      << e;
}

TEST(PluginModuleOpen, OpenRunsNoPluginCode) {
  // The crashing fixture crashes in init only: opening (reading the entry) must not run it.
  auto m = PluginModule::open(fixture("crash", "libfixture_crash.so"));
  EXPECT_EQ(m->id(), "fixture-crash");
  EXPECT_FALSE(m->initialised());
}

TEST_F(LoadedPlugin, InitFailureNamesPlugin) {
  auto m = PluginModule::open(fixture("initfail", "libfixture_initfail.so"));
  try {
    m->initialise(services_, runtime_);
    FAIL() << "init should fail";
  } catch (const PluginError &e) {
    EXPECT_NE(std::string(e.what()).find(
                  "fixture-initfail: init failed (unauthenticated); the plugin gave no reason"),
              std::string::npos)
        << e.what();
    EXPECT_EQ(e.status(), AM_UNAUTHENTICATED);
  }
}

TEST_F(LoadedPlugin, DescribesAndRunsActions) {
  auto m = PluginModule::open(fixture("good", "libfixture_good.so"));
  m->initialise(services_, runtime_);
  EXPECT_EQ(m->info().id, "fixture-good");
  EXPECT_EQ(m->info().actions(), (std::vector<std::string>{"echo", "fail", "linger", "jobs"}));
  auto [s1, r1, m1] = run(m, "echo", R"({"x":1})");
  EXPECT_EQ(s1, AM_OK);
  EXPECT_EQ(r1, R"({"x":1})");
  auto [s2, r2, m2] = run(m, "fail", "{}");
  EXPECT_EQ(s2, AM_INVALID_ARGUMENT);
  EXPECT_EQ(m2, "account 'x': field 'niche' is required");
  auto [s3, r3, m3] = run(m, "nope", "{}");
  EXPECT_EQ(s3, AM_UNSUPPORTED);
}

// The action completes before its timer fires; the host drops its own reference to the
// module at once. The timer's callback (plugin code) must still run with the library
// loaded, and deinit must come after it. Under AddressSanitizer (the _asan build of this
// test) any use of unloaded code or freed host state is reported.
TEST_F(LoadedPlugin, LibraryOutlivesPendingOperations) {
  {
    auto m = PluginModule::open(fixture("good", "libfixture_good.so"));
    m->initialise(services_, runtime_);
    auto [s, r, msg] = run(m, "linger", "{}");
    EXPECT_EQ(s, AM_OK);
    EXPECT_GT(last_job_->pending(), 0u) << "the timer should still be pending";
    m.reset();  // the host's reference goes; the job keeps the module
  }
  last_job_->wait_idle();
  auto module = last_job_->release_keep_alive();
  last_job_.reset();
  module.reset();  // last reference: deinit, then unload
  auto lines = log_.messages();
  auto at = [&](const std::string &s) {
    return std::find(lines.begin(), lines.end(), s) - lines.begin();
  };
  ASSERT_LT(at("done"), static_cast<long>(lines.size()));
  ASSERT_LT(at("linger-callback ok"), static_cast<long>(lines.size()));
  ASSERT_LT(at("deinit"), static_cast<long>(lines.size()));
  EXPECT_LT(at("done"), at("linger-callback ok"));
  EXPECT_LT(at("linger-callback ok"), at("deinit"));
}

// Cancelling the job while the timer is pending completes it with AM_CANCELLED, exactly
// once, before the library goes.
TEST_F(LoadedPlugin, CancelDrainsPendingOperations) {
  {
    auto m = PluginModule::open(fixture("good", "libfixture_good.so"));
    m->initialise(services_, runtime_);
    run(m, "linger", "{}");
  }
  last_job_->cancel();
  last_job_->wait_idle();
  auto module = last_job_->release_keep_alive();
  last_job_.reset();
  module.reset();
  auto lines = log_.messages();
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "linger-callback cancelled"), 1);
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "linger-callback ok"), 0);
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "deinit"), 1);
}
