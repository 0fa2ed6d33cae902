// plugins/youtube/plugin_entry.cpp — the one exported symbol and the C entry points: init
// keeps the host, describe hands over the schema, start_action runs the pipeline coroutine.
#include <automuse/automuse.hpp>

#include "auth_action.hpp"
#include "describe.hpp"
#include "generate.hpp"
#include "publish_kept.hpp"

namespace {

am::host g_host;

am_status youtube_init(const am_host *host) {
  return am::guard([&] {
    g_host = am::host(host);
    g_host.service<am_job_service>(AM_JOB_SERVICE_ID);  // throws AM_UNSUPPORTED if missing
  });
}

void youtube_deinit() {
  g_host = am::host();
}

am_str youtube_describe() {
  return youtube::describe_json();
}

am_status youtube_start_action(const am_action_call *call) {
  const auto action = am::view(call->action);
  if (action == "auth") return am::start_coroutine_action(g_host.get(), call, youtube::auth_action);
  if (action == "publish")
    return am::start_coroutine_action(g_host.get(), call, youtube::publish_kept);
  if (action != "run" && action != "generate") return AM_UNSUPPORTED;
  return am::start_coroutine_action(g_host.get(), call, youtube::run_pipeline);
}

}  // namespace

extern "C" AM_EXPORT const am_plugin_entry automuse_plugin_entry = {
    AM_ABI_VERSION_INIT, sizeof(am_plugin_entry), "youtube",        "YouTube Shorts",    "0.1.0",
    youtube_init,        youtube_deinit,          youtube_describe, youtube_start_action};
