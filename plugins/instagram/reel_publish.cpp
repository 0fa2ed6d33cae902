// plugins/instagram/reel_publish.cpp — media_publish in ReelFlow (reel_flow.hpp): one publish
// of a FINISHED container, each refusal's remedy, a lost reply settled by reading the
// container, and the published Reel's id and link looked up.
// (co_await may not appear inside a catch block: failures are kept and acted on after it.)
#include <chrono>
#include <ctime>

#include "publish_copy.hpp"
#include "reel_flow.hpp"

namespace instagram {

namespace {

constexpr int kPublishRetries = 3;    // media_publish refused with a transient error
constexpr int kStatusReadTries = 4;   // reads of a container after a lost reply
constexpr int64_t kClockSlack = 600;  // seconds a media's timestamp may precede our start

int64_t parse_timestamp(const std::string &text) {  // "2026-12-07T13:00:00+0000"
  std::tm tm{};
  if (!strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return 0;
  return static_cast<int64_t>(timegm(&tm));
}

// What a refused media_publish is: its remedy, and whether the container is read first
// (a refusal that one report says can follow a post, and server errors).
struct Refusal {
  bool refused = false;
  bool lost = false;
  GraphError graph;
  ErrorMeaning meaning;
  std::string what;
};

}  // namespace

am::task<ReelFlow::Step> ReelFlow::publish_container(ReelRecord record) {
  int retries = 0, republished = 0;
  for (;;) {
    check_stop();
    Refusal r;
    try {
      auto publishing = api_->publish(me_.user_id, record.container_id);
      std::string media = co_await std::move(publishing);
      co_return Step{End::published, media, ""};
    } catch (const GraphFailure &e) {
      if (e.status() == AM_CANCELLED) throw;  // the record stays open: settled next time
      r = {true, e.answer_lost(), e.graph(), meaning_of(e.graph().code, e.graph().subcode),
           e.what()};
    }
    const bool read_first =
        r.lost || r.graph.subcode == 2207051 || r.meaning.remedy == Remedy::retry;
    if (read_first) {
      auto settling = settle_unknown(record, r.what);
      Step s = co_await std::move(settling);
      if (s.end != End::ready) co_return s;
      if (r.lost) {  // FINISHED: the lost publish made no post; the same container again
        if (++republished > kPublishRetries) fail(record, AM_UNAVAILABLE, r.what);
        job_.log().warn(r.what + "; the container is still unpublished: publishing it again");
        continue;
      }
    }
    switch (r.meaning.remedy) {
      case Remedy::keep_polling: {
        co_await job_.sleep(std::chrono::milliseconds(settings_.poll_interval_ms));
        auto waiting = wait_processed(record);
        Step s = co_await std::move(waiting);
        if (s.end != End::ready) co_return s;
        continue;
      }
      case Remedy::retry:
      case Remedy::wait_then_new:
        if (++retries > (r.meaning.remedy == Remedy::retry ? kPublishRetries : 1)) {
          if (r.meaning.remedy == Remedy::retry) fail(record, r.meaning.status, r.what);
          co_return Step{End::replace, "", r.what};
        }
        job_.log().warn(r.what + "; trying again");
        co_await job_.sleep(std::chrono::milliseconds(settings_.retry_wait_ms));
        continue;
      case Remedy::new_container:
        co_return Step{End::replace, "", r.what};
      default:
        fail(record, r.meaning.status, r.what);
    }
  }
}

// After a media_publish whose outcome is unknown: the container says. PUBLISHED: it went out;
// FINISHED (or still processing): no post was made; EXPIRED or ERROR: no post, a new container.
// Unreadable: uncertain, never published again by itself.
am::task<ReelFlow::Step> ReelFlow::settle_unknown(ReelRecord record, std::string what) {
  job_.log().warn(what + "; reading container " + record.container_id + " to settle it");
  std::string last;
  for (int attempt = 1; attempt <= kStatusReadTries; ++attempt) {
    check_stop();
    ContainerStatus st;
    bool read = false;
    try {
      auto reading = api_->container_status(record.container_id);
      st = co_await std::move(reading);
      read = true;
    } catch (const GraphFailure &e) {
      if (e.status() == AM_CANCELLED) throw;
      last = e.what();
    }
    if (read) {
      if (st.code == "IN_PROGRESS") co_return Step{End::ready, "", ""};
      co_return step_or_fail(record, st);
    }
    co_await job_.sleep(std::chrono::milliseconds(settings_.retry_wait_ms / 4 + 50));
  }
  const std::string why = what + ", and container " + record.container_id + " could not be read (" +
                          last + "): the Reel may be published; " + how_to_check();
  record_uncertain(job_, record, why);
  throw am::error(AM_UNCERTAIN, why);
}

// The media a recovered publication made: the newest of the account's media with the caption,
// made after publishing began. "" when Instagram does not list it.
am::task<std::string> ReelFlow::find_media_id() {
  std::vector<MediaItem> media;
  try {
    auto reading = api_->recent_media(me_.user_id);
    media = co_await std::move(reading);
  } catch (const GraphFailure &e) {
    if (e.status() == AM_CANCELLED) throw;
    job_.log().warn(std::string(e.what()) + "; the Reel is recorded without its id");
  }
  for (const MediaItem &m : media)
    if (m.caption == req_.caption && parse_timestamp(m.timestamp) >= started_ - kClockSlack)
      co_return m.id;
  co_return std::string();
}

am::task<PublishedReel> ReelFlow::finish(ReelRecord record, Step step) {
  PublishedReel out;
  out.container_id = record.container_id;
  out.history_id = record.history_id;
  out.recovered = step.media_id.empty();
  out.media_id = step.media_id;
  if (out.media_id.empty()) {
    auto finding = find_media_id();
    out.media_id = co_await std::move(finding);
  }
  if (!out.media_id.empty()) {
    try {
      auto reading = api_->permalink(out.media_id);
      out.url = co_await std::move(reading);
    } catch (const GraphFailure &e) {
      if (e.status() == AM_CANCELLED) throw;
    }
  }
  if (out.url.empty()) out.url = "https://www.instagram.com/" + me_.username + "/";
  record_published(job_, record, out.media_id, out.url);
  remove_copy(record.copy_path);
  job_.log().info(req_.account.label() + ": published the Reel " + out.url +
                  (out.recovered ? " (found published after an unknown outcome)" : ""));
  co_return out;
}

}  // namespace instagram
