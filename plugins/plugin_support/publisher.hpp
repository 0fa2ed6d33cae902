// plugins/plugin_support/publisher.hpp — a plugin's publisher in automuse.publish/1, the part every
// publishing plugin would otherwise write again: registering from init and unregistering from
// deinit, the C callbacks start and cancel, the stop flag of each publication in flight (set by
// cancel, read by the plugin's publishing coroutine), and reporting how the publication ended to
// the registry's done callback exactly once (the result JSON, or the exception's status and
// message). The plugin supplies what is its own: how one publication starts.
#pragma once

#include <automuse/publish.h>

#include <atomic>
#include <automuse/cpp/host.hpp>
#include <automuse/cpp/job.hpp>
#include <automuse/cpp/task.hpp>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace plugin_support {

// Set when the registry cancels the publication; the publishing coroutine stops at its next step.
using StopFlag = std::shared_ptr<std::atomic<bool>>;

// A platform's text rules for other plugins (SDK 1.4), when it has any.
struct TextRules {
  decltype(am_publisher::text_length) length = nullptr;
  decltype(am_publisher::fit_text) fit = nullptr;
};

class Publisher {
 public:
  // Prepares one publication of `content` as `account` (an id or nickname of the plugin's own
  // accounts) and returns the task that performs it, whose value is the publication's result
  // JSON. Called on the job's executor: a throw refuses the publication at once (the registry
  // is given its status); the task's own failure is reported through done.
  using Start = std::function<am::task<std::string>(
      am::job job, const std::string &account, const am_publish_content &content, StopFlag stop)>;

  // From the plugin's init (main thread): registers as a publisher of `kinds` when the host offers
  // automuse.publish/1, with a warning in the log when the registry refuses.
  void register_with(const am::host &host, am_publish_kinds kinds, Start start,
                     TextRules rules = {});
  // From the plugin's deinit: unregisters, when registered.
  void unregister();

 private:
  static am_status start(void *self, am_job *job, am_op_id op, am_str account,
                         const am_publish_content *content, am_publish_done_fn done,
                         void *done_user);
  static void cancel(void *self, am_job *job, am_op_id op);
  void finish(am_op_id op, am_publish_done_fn done, void *done_user,
              am::outcome<std::string> &&o) noexcept;

  am::host host_;
  Start start_;
  bool registered_ = false;
  std::mutex ops_mutex_;
  std::map<am_op_id, StopFlag> ops_;  // publications in flight
};

// `work`'s value turned into the result JSON by `to_json` (a Start's usual last step).
template <class T, class ToJson>
am::task<std::string> result_json(am::task<T> work, ToJson to_json) {
  co_return to_json(co_await std::move(work));
}

}  // namespace plugin_support
