// host/web/job_event_stream.cpp — polling the store for a job's events and sending them.
#include "web/job_event_stream.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json.hpp>

#include "web/api_json.hpp"

namespace automuse::web {
namespace json = boost::json;

namespace {

bool ended(const std::string &state) {
  // awaiting_approval is not an end: the stream goes on through the publishing after approval.
  return state == "done" || state == "failed" || state == "cancelled" || state == "rejected";
}

class Poller : public std::enable_shared_from_this<Poller> {
 public:
  Poller(ApiContext &api, std::string job_id, int64_t after, std::shared_ptr<EventSink> sink)
      : api_(api),
        job_id_(std::move(job_id)),
        last_(after),
        sink_(std::move(sink)),
        timer_(api.io) {}

  void tick() {
    if (!sink_->open()) return;
    bool sent_end = false;
    try {
      sent_end = send_new();
    } catch (const std::exception &) {
      // The store is away for a moment: the next tick asks again.
    }
    if (sent_end) return sink_->end();
    if (++idle_ticks_ * api_.event_poll_ms >= 15000) {
      sink_->send(": keep-alive\n\n");
      idle_ticks_ = 0;
    }
    timer_.expires_after(std::chrono::milliseconds(api_.event_poll_ms));
    // Either the poll comes round or a wake() cancelled the wait: look either way (a stream
    // that closed meanwhile stops at the check above).
    timer_.async_wait(
        [self = shared_from_this()](const boost::system::error_code &) { self->tick(); });
  }

  // Events this process writes for the job wake the stream at once (EventBell); the poll
  // above finds those of workers in other processes.
  void listen() {
    bell_ = schedule::EventBell::listen(
        [weak = weak_from_this(), job = job_id_, &io = api_.io](const std::string &written) {
          if (written != job) return;
          boost::asio::post(io, [weak] {
            if (auto self = weak.lock()) self->timer_.cancel();
          });
        });
  }

 private:
  // Sends the new events; true when the job has ended and "end" was sent.
  bool send_new() {
    // The job's state first: events written before it ended are then all in the store.
    auto job = api_.queue.get(job_id_);
    const bool over = !job || ended(job->state);
    for (const auto &e : api_.events->after(job_id_, last_)) {
      sink_->send(sse_message(e.seq, e.kind, json::serialize(event_json(e))));
      last_ = e.seq;
      idle_ticks_ = 0;
    }
    if (!over) return false;
    json::object end{{"state", job ? json::value(job->state) : json::value(nullptr)}};
    if (job && job->error) end["error"] = stored_json(job->error);
    sink_->send(sse_message(last_, "end", json::serialize(end)));
    return true;
  }

  ApiContext &api_;
  std::string job_id_;
  int64_t last_;
  std::shared_ptr<EventSink> sink_;
  boost::asio::steady_timer timer_;
  std::shared_ptr<void> bell_;  // the EventBell's listener while the stream lives
  int64_t idle_ticks_ = 0;
};

}  // namespace

std::string sse_message(int64_t id, const std::string &event, const std::string &data) {
  // data holds no newline: it is serialized JSON.
  return "id: " + std::to_string(id) + "\nevent: " + event + "\ndata: " + data + "\n\n";
}

StreamReply job_event_stream(ApiContext &api, std::string job_id, int64_t after) {
  return StreamReply{[&api, job_id = std::move(job_id), after](std::shared_ptr<EventSink> sink) {
    sink->send("retry: 1000\n\n");
    auto poller = std::make_shared<Poller>(api, job_id, after, std::move(sink));
    poller->listen();
    poller->tick();
  }};
}

}  // namespace automuse::web
