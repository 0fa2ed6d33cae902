// host/web/http_message.cpp — JSON answers and the file window.
#include "web/http_message.hpp"

#include <boost/json/serialize.hpp>

namespace automuse::web {

void WindowFile::open_window(const char *path, uint64_t offset, uint64_t length,
                             boost::beast::error_code &ec) {
  file_.open(path, boost::beast::file_mode::scan, ec);
  if (ec) return;
  const uint64_t size = file_.size(ec);
  if (ec) return;
  offset_ = std::min(offset, size);
  length_ = length == 0 ? size - offset_ : std::min(length, size - offset_);
  file_.seek(offset_, ec);
}

Response json_response(http::status status, const boost::json::value &body) {
  Response r{status, 11};
  r.set(http::field::content_type, "application/json");
  r.set(http::field::cache_control, "no-store");
  r.body() = boost::json::serialize(body);
  r.prepare_payload();
  return r;
}

Response error_response(http::status status, const std::string &code, const std::string &message) {
  return json_response(
      status,
      boost::json::object{{"error", boost::json::object{{"code", code}, {"message", message}}}});
}

}  // namespace automuse::web
