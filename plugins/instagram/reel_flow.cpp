// plugins/instagram/reel_flow.cpp — the Reel's steps: prepare, settle an earlier container,
// the limit, container and upload, processing, media_publish and its unknown outcomes.
// (co_await may not appear inside a catch block: failures are kept and acted on after it.)
#include "reel_flow.hpp"

#include <chrono>

#include "publish_copy.hpp"
#include "token_keeper.hpp"
#include "video_rules.hpp"

namespace instagram {

namespace {

constexpr int kCreateAttempts = 3;  // a container refused with a transient error

}  // namespace

ReelFlow::ReelFlow(am::job job, PluginSettings settings, ReelRequest request, StopFlag stop)
    : job_(job), settings_(std::move(settings)), req_(std::move(request)), stop_(std::move(stop)) {}

void ReelFlow::check_stop() const {
  if ((stop_ && stop_->load()) || job_.cancelled()) throw am::error(AM_CANCELLED, "cancelled");
}

void ReelFlow::fail(const ReelRecord &record, am_status status, const std::string &why) {
  record_failed(job_, record, why);
  remove_copy(record.copy_path);
  throw am::error(status, why);
}

std::string ReelFlow::how_to_check() const {
  return "do not publish it again before checking: open the Instagram profile @" + me_.username +
         " (https://www.instagram.com/" + me_.username + "/) and look for a Reel posted just now" +
         (req_.caption.empty() ? std::string() : " with the caption \"" + req_.caption + "\"");
}

am::task<void> ReelFlow::prepare() {
  const std::string video = req_.video_path, label = req_.account.label();
  auto checking = job_.on_worker([video, label] {
    check_reel_video(video, label);
    return file_sha256(video);
  });
  const std::string video_sha = co_await std::move(checking);
  key_ = reel_key(req_.title, req_.caption, video_sha);
  auto token = usable_token(job_, settings_, req_.account);
  StoredToken t = co_await std::move(token);
  api_ = std::make_unique<GraphApi>(job_, settings_, req_.account, t.access_token);
  auto asking = api_->me();
  me_ = co_await std::move(asking);
  started_ = now_seconds();
}

am::task<PublishedReel> ReelFlow::run() {
  co_await prepare();
  check_stop();
  if (auto open = find_open_record(job_, req_.account, key_)) {
    auto resuming = resume_open(*open);
    std::optional<PublishedReel> done = co_await std::move(resuming);
    if (done) co_return *done;
  }
  co_await check_limit();
  std::string last_why;
  for (int n = 0; n < settings_.max_containers; ++n) {
    check_stop();
    auto making = make_container();
    ReelRecord record = co_await std::move(making);
    auto waiting = wait_processed(record);
    Step step = co_await std::move(waiting);
    if (step.end == End::ready) {
      auto publishing = publish_container(record);
      step = co_await std::move(publishing);
    }
    if (step.end == End::published) {
      auto finishing = finish(record, step);
      co_return co_await std::move(finishing);
    }
    record_failed(job_, record, step.why);
    remove_copy(record.copy_path);
    job_.log().warn(step.why + "; making a new container");
    last_why = step.why;
  }
  throw am::error(AM_UNAVAILABLE, req_.account.label() + ": no Reel was published after " +
                                      std::to_string(settings_.max_containers) +
                                      " containers; the last: " + last_why);
}

// An earlier attempt left a container: ask Instagram where it stands before anything else.
am::task<std::optional<PublishedReel>> ReelFlow::resume_open(ReelRecord open) {
  job_.log().info(req_.account.label() + ": an earlier attempt left container " +
                  open.container_id + "; asking Instagram where it stands");
  auto waiting = wait_processed(open);
  Step step = co_await std::move(waiting);
  if (step.end == End::ready) {
    auto publishing = publish_container(open);
    step = co_await std::move(publishing);
  }
  if (step.end == End::published) {
    auto finishing = finish(open, step);
    PublishedReel done = co_await std::move(finishing);
    done.recovered = true;
    co_return done;
  }
  record_failed(job_, open, step.why);
  remove_copy(open.copy_path);
  co_return std::nullopt;
}

am::task<void> ReelFlow::check_limit() {
  PublishingLimit limit;
  std::string unread;
  try {
    auto reading = api_->publishing_limit(me_.user_id);
    limit = co_await std::move(reading);
  } catch (const GraphFailure &e) {
    if (e.status() == AM_CANCELLED || e.status() == AM_UNAUTHENTICATED) throw;
    unread = e.what();
  }
  if (!unread.empty()) {  // media_publish enforces the limit anyway
    job_.log().warn(unread + "; publishing without knowing the limit");
    co_return;
  }
  if (limit.known && limit.used >= limit.total)
    throw am::error(AM_QUOTA_EXCEEDED,
                    req_.account.label() + " has reached its publishing limit: " +
                        std::to_string(limit.used) + " of " + std::to_string(limit.total) +
                        " posts in the last 24 hours; nothing was uploaded or published; a slot "
                        "frees as the 24-hour window rolls on");
  if (limit.known)
    job_.log().info(req_.account.label() + ": publishing limit " + std::to_string(limit.used) +
                    " of " + std::to_string(limit.total) + " used in 24 hours");
}

am::task<Container> ReelFlow::create(std::string video_url) {
  for (int attempt = 1;; ++attempt) {
    check_stop();
    std::string transient;
    try {
      auto creating = api_->create_container(me_.user_id, req_.caption, video_url);
      co_return co_await std::move(creating);
    } catch (const GraphFailure &e) {
      const Remedy r = meaning_of(e.graph().code, e.graph().subcode).remedy;
      const bool again = e.answer_lost() || r == Remedy::retry || r == Remedy::wait_then_new;
      if (e.status() == AM_CANCELLED || !again || attempt >= kCreateAttempts) throw;
      transient = e.what();
    }
    job_.log().warn(transient + "; creating the container again");
    co_await job_.sleep(std::chrono::milliseconds(settings_.retry_wait_ms));
  }
}

}  // namespace instagram
