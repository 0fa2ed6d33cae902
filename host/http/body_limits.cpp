// Size caps of the network edge: see body_limits.hpp.
#include "http/body_limits.hpp"

#include <boost/url/parse.hpp>
#include <charconv>
#include <cstdio>

#include "core/text.hpp"
#include "http/redact.hpp"

namespace automuse::http {
namespace {

// "32 MB", "1.5 MB", "512 KB": the cap as the user set it.
std::string size_text(uint64_t bytes) {
  auto fmt = [](double v, const char *unit) {
    char buf[32];
    std::snprintf(buf, sizeof buf,
                  v == static_cast<double>(static_cast<uint64_t>(v)) ? "%.0f %s" : "%.2f %s", v,
                  unit);
    return std::string(buf);
  };
  if (bytes >= (1u << 20)) return fmt(static_cast<double>(bytes) / (1u << 20), "MB");
  return fmt(static_cast<double>(bytes) / 1024, "KB");
}

std::string raise_hint(const BodyLimit &limit) {
  return "; raise " + limit.setting + " in automuse.json to accept it";
}

}  // namespace

BodyLimits::BodyLimits()
    : memory{32ull << 20, "limits.response_body_mb"},
      file{1024ull << 20, "limits.downloads_mb.video"},
      image{64ull << 20, "limits.downloads_mb.image"},
      video{1024ull << 20, "limits.downloads_mb.video"},
      audio{256ull << 20, "limits.downloads_mb.audio"},
      upload{16384ull << 20, "limits.upload_mb"} {}

const BodyLimit &response_limit(const BodyLimits &limits, const Request &request) {
  if (request.body_limit) return *request.body_limit;
  switch (request.body_kind) {
    case BodyKind::image:
      return limits.image;
    case BodyKind::video:
      return limits.video;
    case BodyKind::audio:
      return limits.audio;
    case BodyKind::data:
      break;
  }
  // A stream handed to its caller piece by piece is held nowhere (backpressure bounds what
  // waits): its consumer caps what it keeps, as the LLM client does with body_limit.
  static const BodyLimit kNone;
  return request.sink == SinkKind::file       ? limits.file
         : request.sink == SinkKind::callback ? kNone
                                              : limits.memory;
}

std::optional<uint64_t> parse_content_length(std::string_view value) {
  value = core::trim(value);
  if (value.empty() || value.front() == '+' || value.front() == '-') return std::nullopt;
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
  return n;
}

std::optional<uint64_t> declared_upload_size(const Headers &headers) {
  if (auto total = find_header(headers, "x-upload-content-length"))
    return parse_content_length(*total);
  if (auto range = find_header(headers, "content-range")) {
    std::string_view r = core::trim(*range);
    const size_t slash = r.rfind('/');
    if (!r.starts_with("bytes ") || slash == std::string_view::npos) return std::nullopt;
    return parse_content_length(r.substr(slash + 1));  // "*" (size unknown) reads as nullopt
  }
  return std::nullopt;
}

std::string host_of(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->encoded_host().empty()) return redact_url(url);
  return std::string(parsed->encoded_host());
}

std::string response_too_large(const BodyLimit &limit, std::string_view url, uint64_t bytes,
                               bool declared) {
  return "the response from " + host_of(url) +
         (declared ? " declares " + std::to_string(bytes) + " bytes (Content-Length)"
                   : " passed " + std::to_string(bytes) + " bytes and was cut off") +
         ", more than " + limit.setting + " (" + size_text(limit.bytes) + ") allows" +
         raise_hint(limit);
}

std::optional<std::string> upload_refusal(const BodyLimit &cap, const Request &request,
                                          uint64_t body_size) {
  if (cap.bytes == 0) return std::nullopt;
  auto refuse = [&](const std::string &what, uint64_t bytes) {
    return "the upload of " + what + " to " + host_of(request.url) + " is " +
           std::to_string(bytes) + " bytes, more than " + cap.setting + " (" +
           size_text(cap.bytes) + ") allows" + raise_hint(cap);
  };
  if (body_size > cap.bytes)
    return refuse(
        request.body_file.empty() ? "the request body" : "'" + request.body_file.string() + "'",
        body_size);
  if (auto whole = declared_upload_size(request.headers); whole && *whole > cap.bytes)
    return refuse("a file (the size its request declares)", *whole);
  return std::nullopt;
}

}  // namespace automuse::http
