// plugins/instagram/reel_flow.hpp — the steps of publish_reel (publish_flow.hpp) as one object
// that holds what they share: the Graph client, the account's user id, the Reel's key and the
// time publishing began. Private to the plugin.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "graph_api.hpp"
#include "publish_flow.hpp"
#include "reel_record.hpp"

namespace instagram {

class ReelFlow {
 public:
  ReelFlow(am::job job, PluginSettings settings, ReelRequest request, StopFlag stop);
  am::task<PublishedReel> run();

 private:
  // Where one container stands after a step.
  enum class End { ready, published, replace };
  struct Step {
    End end = End::ready;
    std::string media_id;  // published, when the answer named it
    std::string why;       // replace: why this container cannot be used
  };

  am::task<void> prepare();
  am::task<std::optional<PublishedReel>> resume_open(ReelRecord open);
  am::task<void> check_limit();
  am::task<Container> create(std::string video_url);
  am::task<ReelRecord> make_container();
  am::task<ReelRecord> container_by_url();
  am::task<Step> wait_processed(ReelRecord record);
  Step status_step(const ReelRecord &record, const ContainerStatus &st) const;
  // status_step, a stop recorded as the record's failure.
  Step step_or_fail(const ReelRecord &record, const ContainerStatus &st);
  am::task<Step> publish_container(ReelRecord record);
  am::task<Step> settle_unknown(ReelRecord record, std::string what);
  am::task<std::string> find_media_id();
  am::task<PublishedReel> finish(ReelRecord record, Step step);
  [[noreturn]] void fail(const ReelRecord &record, am_status status, const std::string &why);
  void check_stop() const;
  std::string how_to_check() const;

  am::job job_;
  PluginSettings settings_;
  ReelRequest req_;
  StopFlag stop_;
  std::unique_ptr<GraphApi> api_;
  Me me_;
  std::string key_;
  int64_t started_ = 0;
  bool by_url_ = false;  // the login cannot upload directly: containers go by URL
};

}  // namespace instagram
