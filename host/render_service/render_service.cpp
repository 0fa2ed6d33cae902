// host/render_service/render_service.cpp — the automuse.render/1 table.
#include "render_service/render_service.hpp"

#include <automuse_render/render.h>

#include <atomic>
#include <automuse/cpp/str.hpp>
#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "core/job.hpp"
#include "core/job_observer.hpp"
#include "log/logging.hpp"

namespace automuse::render_service {
namespace {

namespace json = boost::json;
using automuse::render::RenderErrorKind;

std::mutex g_settings_mu;
RenderSettings g_settings;

RenderSettings settings() {
  std::lock_guard lock(g_settings_mu);
  return g_settings;
}

// The configured encoder for a timeline that names none; a name the renderer does not know
// fails the render naming the setting, instead of quietly encoding with something else.
std::optional<std::string> apply_settings(automuse::render::Timeline &t) {
  const RenderSettings s = settings();
  if (t.output.encoder || s.encoder.empty()) return std::nullopt;
  t.output.encoder = automuse::render::encoder_from_name(s.encoder);
  if (t.output.encoder) return std::nullopt;
  return "automuse.json render.encoder: " + *encoder_setting_problem(s.encoder);
}

json::array candidates_json(const std::vector<automuse::render::EncoderCandidate> &tried) {
  json::array a;
  for (const auto &c : tried)
    a.push_back(json::object{{"encoder", c.name},
                             {"opened", c.opened},
                             {"reason", c.opened ? json::value(nullptr) : json::value(c.reason)}});
  return a;
}

}  // namespace

std::optional<std::string> encoder_setting_problem(const std::string &encoder) {
  if (automuse::render::encoder_from_name(encoder)) return std::nullopt;
  return "unknown encoder \"" + encoder +
         "\" (expected one of: " + automuse::render::encoder_names() + ")";
}

namespace {

struct RenderOp {
  std::string timeline_json;
  std::string base_dir;
  std::atomic<bool> cancel{false};
  am_render_progress_fn progress = nullptr;
  am_render_done_fn done = nullptr;
  void *user = nullptr;
};

am_status status_of(RenderErrorKind kind) {
  switch (kind) {
    case RenderErrorKind::kNone:
      return AM_OK;
    case RenderErrorKind::kInvalidTimeline:
      return AM_INVALID_ARGUMENT;
    case RenderErrorKind::kCancelled:
      return AM_CANCELLED;
    case RenderErrorKind::kIo:
      return AM_IO;
    case RenderErrorKind::kCodec:
      return AM_ERROR;
  }
  return AM_ERROR;
}

void finish(const std::shared_ptr<am_job> &job, am_op_id id, const std::shared_ptr<RenderOp> &op,
            am_status status, std::string result, std::string error) {
  job->complete_op(id, [op, status, result = std::move(result), error = std::move(error)] {
    op->done(op->user, status, am::to_am_str(result), am::to_am_str(error));
  });
}

void run(const std::shared_ptr<am_job> &job, am_op_id id, const std::shared_ptr<RenderOp> &op) {
  if (op->cancel) return finish(job, id, op, AM_CANCELLED, "null", "cancelled");
  auto parsed = automuse::render::parse_timeline(
      op->timeline_json,
      op->base_dir.empty() ? std::filesystem::current_path() : std::filesystem::path(op->base_dir));
  if (!parsed.timeline)
    return finish(job, id, op, AM_INVALID_ARGUMENT, "null", parsed.error->to_string());
  if (auto bad = apply_settings(*parsed.timeline))
    return finish(job, id, op, AM_INVALID_ARGUMENT, "null", *bad);
  automuse::render::ProgressCallback on_progress;
  auto observer = automuse::core::job_observer();
  if (op->progress || observer) {
    on_progress = [job, op, observer](const automuse::render::RenderProgress &p) {
      am_render_progress c{sizeof(am_render_progress),
                           p.fraction,
                           p.fps,
                           p.eta_seconds,
                           p.frames_done,
                           p.frames_total};
      // Posted before the completion, so it is delivered before it (the strand is FIFO). The
      // observer hears it there too, not on this thread: renders run niced (core/runtime.hpp),
      // and a niced thread holding the store's write lock would hold up every watcher.
      job->post([job, op, c, observer] {
        if (observer) observer->progress(*job, "render", {c.fraction, c.fps, "fps", c.eta_seconds});
        if (op->progress) op->progress(op->user, &c);
      });
    };
  }
  automuse::render::RenderResult r;
  try {
    r = automuse::render::render(std::move(*parsed.timeline), {}, on_progress, &op->cancel);
  } catch (const std::exception &e) {
    return finish(job, id, op, AM_INTERNAL, "null", e.what());
  }
  if (!r.ok()) return finish(job, id, op, status_of(r.error_kind), "null", r.error);
  json::object o;
  o["output"] = r.output.string();
  o["thumbnail"] = r.thumbnail ? json::value(r.thumbnail->string()) : json::value(nullptr);
  o["duration"] = r.duration;
  o["frames"] = r.frames;
  o["measured_lufs"] = r.measured_lufs;
  o["applied_gain_db"] = r.applied_gain_db;
  o["final_lufs"] = r.final_lufs;  // the soundtrack as written
  // The renderer's own warnings ("scenes[2].image: ... enlarged 4.4x ..."), each with its
  // JSON path; also in the host's log.
  json::array warnings;
  for (const std::string &w : r.warnings) {
    automuse::log::write("render", spdlog::level::warn, w);
    warnings.emplace_back(w);
  }
  o["warnings"] = std::move(warnings);
  o["encoder"] = r.encoder;
  o["encoder_candidates"] = candidates_json(r.encoder_candidates);
  finish(job, id, op, AM_OK, json::serialize(o), "");
}

am_op_id render(am_job *job, am_str timeline_json, am_str base_dir, am_render_progress_fn progress,
                am_render_done_fn done, void *user) {
  auto op = std::make_shared<RenderOp>();
  op->timeline_json = am::to_string(timeline_json);
  op->base_dir = am::to_string(base_dir);
  op->progress = progress;
  op->done = done;
  op->user = user;
  auto self = job->shared_from_this();
  // Cancelling sets the flag; the render stops within a frame, removes its temporary file
  // and completes with AM_CANCELLED itself, so the output path is clean when done arrives.
  am_op_id id = job->add_op([op](am_op_id) { op->cancel = true; });
  boost::asio::post(job->workers(), [self, id, op] { run(self, id, op); });
  return id;
}

void cancel(am_job *job, am_op_id op) {
  job->cancel_op(op);
}

constexpr am_render_service kTable = {sizeof(am_render_service), render, cancel};

}  // namespace

void configure(RenderSettings s) {
  std::lock_guard lock(g_settings_mu);
  g_settings = std::move(s);
}

const am_render_service *render_service() {
  // FFmpeg's and libass's messages (from renders and from every other FFmpeg user in the
  // process) go to the host's log as "ffmpeg": warnings and errors as such, the chatty
  // informational lines (libx264's statistics) at debug, so the console stays clean.
  static std::once_flag once;
  std::call_once(once, [] {
    automuse::render::set_log_handler(
        [](automuse::render::LogLevel level, std::string_view message) {
          using automuse::render::LogLevel;
          const auto l = level == LogLevel::kError     ? spdlog::level::err
                         : level == LogLevel::kWarning ? spdlog::level::warn
                         : level == LogLevel::kInfo    ? spdlog::level::debug
                                                       : spdlog::level::trace;
          automuse::log::write("ffmpeg", l, message);
        },
        automuse::render::LogLevel::kInfo);
  });
  return &kTable;
}

}  // namespace automuse::render_service
