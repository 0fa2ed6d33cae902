// host/render_service/render_wire.cpp — encoding and decoding of the render worker's request
// and JSON lines (see render_wire.hpp).
#include "render_service/render_wire.hpp"

#include <array>
#include <boost/json.hpp>
#include <stdexcept>
#include <utility>

namespace automuse::render_service::wire {
namespace {

namespace json = boost::json;
using automuse::render::LogLevel;

constexpr std::array<std::pair<LogLevel, std::string_view>, 4> kLevels{{
    {LogLevel::kError, "error"},
    {LogLevel::kWarning, "warning"},
    {LogLevel::kInfo, "info"},
    {LogLevel::kDebug, "debug"},
}};

constexpr std::array<std::pair<am_status, std::string_view>, 5> kKinds{{
    {AM_INVALID_ARGUMENT, "invalid_argument"},
    {AM_CANCELLED, "cancelled"},
    {AM_IO, "io"},
    {AM_ERROR, "error"},
    {AM_INTERNAL, "internal"},
}};

std::string request_string(const json::object &o, std::string_view key) {
  const json::value *v = o.if_contains(key);
  if (!v || !v->is_string())
    throw std::runtime_error("render worker request: \"" + std::string(key) +
                             "\" is missing or not a string");
  return std::string(v->get_string());
}

std::optional<Message> decode_outcome(const json::object &o) {
  Message m;
  if (const json::value *r = o.if_contains("result"); r && r->is_object()) {
    m.outcome = RenderOutcome::success(json::serialize(*r), {});
    if (const json::value *w = r->as_object().if_contains("warnings"); w && w->is_array())
      for (const json::value &line : w->get_array())
        if (line.is_string()) m.outcome.warnings.emplace_back(line.get_string());
    return m;
  }
  const json::value *e = o.if_contains("error");
  if (!e || !e->is_object()) return std::nullopt;
  const json::value *kind = e->as_object().if_contains("kind");
  const json::value *message = e->as_object().if_contains("message");
  if (!kind || !kind->is_string() || !message || !message->is_string()) return std::nullopt;
  for (const auto &[status, name] : kKinds)
    if (kind->get_string() == name) {
      m.outcome = RenderOutcome::failure(status, std::string(message->get_string()));
      return m;
    }
  return std::nullopt;
}

std::optional<Message> decode_log(const json::object &log) {
  const json::value *level = log.if_contains("level");
  const json::value *message = log.if_contains("message");
  if (!level || !level->is_string() || !message || !message->is_string()) return std::nullopt;
  for (const auto &[l, name] : kLevels)
    if (level->get_string() == name) {
      Message m;
      m.kind = Message::Kind::kLog;
      m.level = l;
      m.message = std::string(message->get_string());
      return m;
    }
  return std::nullopt;
}

std::optional<Message> decode_progress(const json::object &p) {
  Message m;
  m.kind = Message::Kind::kProgress;
  try {
    m.progress.fraction = p.at("fraction").to_number<double>();
    m.progress.fps = p.at("fps").to_number<double>();
    m.progress.eta_seconds = p.at("eta").to_number<double>();
    m.progress.frames_done = p.at("frames_done").to_number<int64_t>();
    m.progress.frames_total = p.at("frames_total").to_number<int64_t>();
  } catch (const std::exception &) {
    return std::nullopt;
  }
  return m;
}

// FFmpeg's messages may quote bytes from input files that are not UTF-8; they are passed on
// as they are rather than lost.
json::value parse_lenient(std::string_view text, boost::system::error_code &ec) {
  json::parse_options options;
  options.allow_invalid_utf8 = true;
  return json::parse(text, ec, {}, options);
}

}  // namespace

std::string encode_request(const RenderRequest &request) {
  return json::serialize(json::object{{"timeline", request.timeline_json},
                                      {"base_dir", request.base_dir},
                                      {"encoder", request.encoder}});
}

RenderRequest decode_request(std::string_view text) {
  boost::system::error_code ec;
  json::value v = parse_lenient(text, ec);
  if (ec || !v.is_object())
    throw std::runtime_error("render worker request: not a JSON object (" + ec.message() + ")");
  const json::object &o = v.get_object();
  return {request_string(o, "timeline"), request_string(o, "base_dir"),
          request_string(o, "encoder")};
}

std::string progress_line(const automuse::render::RenderProgress &p) {
  return json::serialize(
      json::object{{"progress", json::object{{"fraction", p.fraction},
                                             {"fps", p.fps},
                                             {"eta", p.eta_seconds},
                                             {"frames_done", p.frames_done},
                                             {"frames_total", p.frames_total}}}});
}

std::string log_line(LogLevel level, std::string_view message) {
  std::string_view name = "debug";
  for (const auto &[l, n] : kLevels)
    if (l == level) name = n;
  return json::serialize(
      json::object{{"log", json::object{{"level", name}, {"message", message}}}});
}

std::string outcome_line(const RenderOutcome &outcome) {
  if (outcome.status == AM_OK) {
    boost::system::error_code ec;
    return json::serialize(json::object{{"result", parse_lenient(outcome.result, ec)}});
  }
  std::string_view kind = "internal";
  for (const auto &[status, name] : kKinds)
    if (status == outcome.status) kind = name;
  return json::serialize(
      json::object{{"error", json::object{{"kind", kind}, {"message", outcome.error}}}});
}

std::optional<Message> decode_line(std::string_view line) {
  boost::system::error_code ec;
  json::value v = parse_lenient(line, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const json::object &o = v.get_object();
  if (const json::value *p = o.if_contains("progress"); p && p->is_object())
    return decode_progress(p->get_object());
  if (const json::value *l = o.if_contains("log"); l && l->is_object())
    return decode_log(l->get_object());
  return decode_outcome(o);
}

}  // namespace automuse::render_service::wire
