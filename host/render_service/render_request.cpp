// host/render_service/render_request.cpp — one render from its request to its outcome (see
// render_request.hpp); shared by the render worker and the host's in-process fallback.
#include "render_service/render_request.hpp"

#include <boost/json.hpp>
#include <exception>
#include <filesystem>
#include <vector>

namespace automuse::render_service {
namespace {

namespace json = boost::json;
using automuse::render::RenderErrorKind;

// The configured encoder for a timeline that names none; a name the renderer does not know
// fails the render naming the setting, instead of quietly encoding with something else.
std::optional<std::string> apply_settings(automuse::render::Timeline &t,
                                          const std::string &encoder) {
  if (t.output.encoder || encoder.empty()) return std::nullopt;
  t.output.encoder = automuse::render::encoder_from_name(encoder);
  if (t.output.encoder) return std::nullopt;
  return "automuse.json render.encoder: " + *encoder_setting_problem(encoder);
}

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

json::array candidates_json(const std::vector<automuse::render::EncoderCandidate> &tried) {
  json::array a;
  for (const auto &c : tried)
    a.push_back(json::object{{"encoder", c.name},
                             {"opened", c.opened},
                             {"reason", c.opened ? json::value(nullptr) : json::value(c.reason)}});
  return a;
}

std::string result_json(const automuse::render::RenderResult &r) {
  json::object o;
  o["output"] = r.output.string();
  o["thumbnail"] = r.thumbnail ? json::value(r.thumbnail->string()) : json::value(nullptr);
  o["duration"] = r.duration;
  o["frames"] = r.frames;
  o["measured_lufs"] = r.measured_lufs;
  o["applied_gain_db"] = r.applied_gain_db;
  o["final_lufs"] = r.final_lufs;  // the soundtrack as written
  // The renderer's own warnings ("scenes[2].image: ... enlarged 4.4x ..."), each with its
  // JSON path; the host also logs them (render_service.cpp).
  json::array warnings;
  for (const std::string &w : r.warnings) warnings.emplace_back(w);
  o["warnings"] = std::move(warnings);
  o["encoder"] = r.encoder;
  o["encoder_candidates"] = candidates_json(r.encoder_candidates);
  return json::serialize(o);
}

}  // namespace

std::optional<std::string> encoder_setting_problem(const std::string &encoder) {
  if (automuse::render::encoder_from_name(encoder)) return std::nullopt;
  return "unknown encoder \"" + encoder +
         "\" (expected one of: " + automuse::render::encoder_names() + ")";
}

RenderOutcome run_render(const RenderRequest &request,
                         const automuse::render::ProgressCallback &progress,
                         const std::atomic<bool> *cancel) {
  if (cancel && *cancel) return RenderOutcome::failure(AM_CANCELLED, "cancelled");
  try {
    auto parsed = automuse::render::parse_timeline(
        request.timeline_json, request.base_dir.empty() ? std::filesystem::current_path()
                                                        : std::filesystem::path(request.base_dir));
    if (!parsed.timeline)
      return RenderOutcome::failure(AM_INVALID_ARGUMENT, parsed.error->to_string());
    if (auto bad = apply_settings(*parsed.timeline, request.encoder))
      return RenderOutcome::failure(AM_INVALID_ARGUMENT, *bad);
    automuse::render::RenderResult r =
        automuse::render::render(std::move(*parsed.timeline), {}, progress, cancel);
    if (!r.ok()) return RenderOutcome::failure(status_of(r.error_kind), r.error);
    return RenderOutcome::success(result_json(r), r.warnings);
  } catch (const std::exception &e) {
    return RenderOutcome::failure(AM_INTERNAL, e.what());
  }
}

}  // namespace automuse::render_service
