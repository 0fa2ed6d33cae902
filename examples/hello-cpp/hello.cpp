// hello.cpp — an AutoMuse plugin in C++20 with the SDK's helpers: its action "gather" is a
// coroutine that runs two timed steps and a piece of worker-pool work concurrently with
// am::when_all (the asyncio.gather of AutoMuse) and returns a JSON result. Exceptions never
// cross the boundary: am::guard and start_coroutine_action turn them into statuses.
#include <automuse/automuse.hpp>
#include <chrono>
#include <string>
#include <vector>

namespace {

using namespace std::chrono_literals;

am::host g_host;

// One step: wait on the job's timer, then report its name and the order it finished in.
am::task<std::string> step(am::job j, std::string name, std::chrono::milliseconds delay,
                           std::vector<std::string> &finished) {
  co_await j.sleep(delay);
  finished.push_back(name);
  co_return name;
}

// CPU-bound work belongs on the worker pool, never on the I/O threads.
long sum_of_squares(long n) {
  long sum = 0;
  for (long i = 1; i <= n; ++i) sum += i * i;
  return sum;
}

std::string quoted_list(const std::vector<std::string> &items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i)
    out += (i ? ",\"" : "\"") + items[i] + "\"";  // fixed ASCII names: nothing to escape
  return out + "]";
}

am::task<std::string> gather(am::job j, am::action_request) {
  j.log().info("hello-cpp: gathering three steps concurrently");
  // Every task of one job runs on the job's executor: `finished` needs no lock.
  std::vector<std::string> finished;
  auto [slow, fast, sum] =
      co_await am::when_all(step(j, "slow", 40ms, finished), step(j, "fast", 5ms, finished),
                            j.on_worker([] { return sum_of_squares(1000); }));
  j.throw_if_cancelled();
  j.log().info("hello-cpp: all steps done");
  co_return "{\"plugin\":\"hello-cpp\",\"steps\":" + quoted_list({slow, fast}) +
      ",\"finished\":" + quoted_list(finished) + ",\"sum_of_squares\":" + std::to_string(sum) + "}";
}

am_status hello_init(const am_host *host) {
  return am::guard([&] {
    g_host = am::host(host);
    g_host.service<am_job_service>(AM_JOB_SERVICE_ID);  // throws AM_UNSUPPORTED if missing
  });
}

void hello_deinit() {
  g_host = am::host();
}

am_str hello_describe() {
  static const char kDescription[] =
      R"({"description": "Says hello from C++ coroutines",)"
      R"( "account_fields": [],)"
      R"( "actions": [{"name": "gather", "summary": "Run three steps concurrently and report",)"
      R"( "options": []}],)"
      R"( "publishes": []})";
  return am_str{kDescription, sizeof kDescription - 1};
}

am_status hello_start_action(const am_action_call *call) {
  if (am::view(call->action) != "gather") return AM_UNSUPPORTED;
  return am::start_coroutine_action(g_host.get(), call, gather);
}

}  // namespace

// The one exported symbol; everything else in the library is hidden.
extern "C" AM_EXPORT const am_plugin_entry automuse_plugin_entry = {AM_ABI_VERSION_INIT,
                                                                    sizeof(am_plugin_entry),
                                                                    "hello-cpp",
                                                                    "Hello (C++)",
                                                                    "1.0.0",
                                                                    hello_init,
                                                                    hello_deinit,
                                                                    hello_describe,
                                                                    hello_start_action};
