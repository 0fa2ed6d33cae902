// plugins/instagram/reel_steps.cpp — one container's life in ReelFlow (reel_flow.hpp): made
// and filled (resumable upload, or the video by URL), processed, published once, and a lost
// media_publish reply settled by reading the container.
// (co_await may not appear inside a catch block: failures are kept and acted on after it.)
#include <chrono>

#include "publish_copy.hpp"
#include "reel_flow.hpp"

namespace instagram {

am::task<ReelRecord> ReelFlow::make_container() {
  const UploadMode mode = req_.account.upload;
  if (mode == UploadMode::video_url || by_url_) {
    auto by_url = container_by_url();
    co_return co_await std::move(by_url);
  }
  auto creating = create("");
  Container c = co_await std::move(creating);
  std::string refused;
  try {
    auto uploading = api_->upload(c.upload_uri, req_.video_path);
    co_await std::move(uploading);
  } catch (const UploadRefused &e) {
    if (!e.refused_login()) throw;
    refused = e.what();
  }
  if (refused.empty())
    co_return add_record(job_, req_.account, key_, req_.caption, req_.video_path,
                         {"", c.id, "resumable", ""});
  // Instagram Login tokens may not be allowed on rupload: the URL path is the one that works.
  if (mode != UploadMode::automatic || !req_.account.can_use_video_url())
    throw am::error(AM_PERMISSION_DENIED,
                    refused +
                        ": Instagram takes direct uploads only from some logins; set the "
                        "account's publish_folder and public_url_prefix so AutoMuse can "
                        "hand it the video by URL (docs/instagram.md)");
  job_.log().info(req_.account.label() +
                  ": Instagram does not take a direct upload from this login; giving it the "
                  "video by URL");
  by_url_ = true;
  auto by_url = container_by_url();
  co_return co_await std::move(by_url);
}

am::task<ReelRecord> ReelFlow::container_by_url() {
  const PublicCopy copy = copy_for_url(req_.account, req_.video_path, key_);
  Container c;
  try {
    auto creating = create(copy.url);
    c = co_await std::move(creating);
  } catch (const am::error &) {
    remove_copy(copy.path);
    throw;
  }
  co_return add_record(job_, req_.account, key_, req_.caption, req_.video_path,
                       {"", c.id, "video_url", copy.path});
}

// The container's status as a step: FINISHED is ready, PUBLISHED is published, EXPIRED and a
// retriable ERROR need a new container; any other ERROR stops with its meaning.
ReelFlow::Step ReelFlow::status_step(const ReelRecord &record, const ContainerStatus &st) const {
  const std::string label = req_.account.label() + ": container " + record.container_id;
  if (st.code == "FINISHED") return {End::ready, "", ""};
  if (st.code == "PUBLISHED") return {End::published, "", ""};
  if (st.code == "EXPIRED")
    return {End::replace, "", label + " expired (not published within 24 hours)"};
  const int subcode = subcode_in_status(st.text);
  const ErrorMeaning m = meaning_of(0, subcode);
  const std::string why = label + " failed: " + m.meaning + " (subcode " + std::to_string(subcode) +
                          ": " + st.text + ")";
  if (m.remedy == Remedy::stop || m.remedy == Remedy::quota || m.remedy == Remedy::login)
    throw am::error(m.status, why + (m.fix.empty() ? "" : "; " + m.fix));
  return {End::replace, "", why};
}

ReelFlow::Step ReelFlow::step_or_fail(const ReelRecord &record, const ContainerStatus &st) {
  try {
    return status_step(record, st);
  } catch (const am::error &e) {
    fail(record, e.status(), e.what());
  }
}

am::task<ReelFlow::Step> ReelFlow::wait_processed(ReelRecord record) {
  for (int poll = 0;; ++poll) {
    check_stop();
    ContainerStatus st;
    std::string gone, transient;
    try {
      auto reading = api_->container_status(record.container_id);
      st = co_await std::move(reading);
    } catch (const GraphFailure &e) {
      const Remedy r = meaning_of(e.graph().code, e.graph().subcode).remedy;
      if (e.answer_lost() || r == Remedy::login || e.status() == AM_CANCELLED) throw;
      if (r == Remedy::retry)
        transient = e.what();  // counted as a poll
      else
        gone = e.what();  // Instagram does not know the container (any more)
    }
    if (!gone.empty()) co_return Step{End::replace, "", gone};
    if (!transient.empty())
      job_.log().warn(transient + "; reading it again");
    else if (st.code != "IN_PROGRESS")
      co_return step_or_fail(record, st);
    if (poll >= settings_.max_status_polls)
      fail(record, AM_TIMEOUT,
           req_.account.label() + ": Instagram was still processing container " +
               record.container_id + " after " + std::to_string(poll) +
               " status checks; nothing was published");
    co_await job_.sleep(std::chrono::milliseconds(settings_.poll_interval_ms));
  }
}

}  // namespace instagram
