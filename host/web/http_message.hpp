// host/web/http_message.hpp — the messages the web server and its handlers exchange: a request
// read whole (its body within the server's limit), and a reply that is either a whole response,
// a file (or a byte range of one) streamed from disk, or an event stream that stays open.
#pragma once

#include <boost/beast/core/file.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>

namespace automuse::web {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// A window [offset, offset + length) of a file, as Beast's File concept: the body of a 206
// answer streams only the window.
class WindowFile {
 public:
  using native_handle_type = boost::beast::file::native_handle_type;
  WindowFile() = default;
  // Opens `path` for reading at `offset`; length 0 up to the end.
  void open_window(const char *path, uint64_t offset, uint64_t length,
                   boost::beast::error_code &ec);

  bool is_open() const { return file_.is_open(); }
  void close(boost::beast::error_code &ec) { file_.close(ec); }
  void open(const char *path, boost::beast::file_mode mode, boost::beast::error_code &ec) {
    file_.open(path, mode, ec);
    length_ = ec ? 0 : file_.size(ec);
  }
  uint64_t size(boost::beast::error_code &ec) const {
    ec = {};
    return length_;
  }
  uint64_t pos(boost::beast::error_code &ec) const { return file_.pos(ec) - offset_; }
  void seek(uint64_t offset, boost::beast::error_code &ec) { file_.seek(offset_ + offset, ec); }
  std::size_t read(void *buffer, std::size_t n, boost::beast::error_code &ec) const {
    return file_.read(buffer, n, ec);
  }
  std::size_t write(void const *, std::size_t, boost::beast::error_code &ec) {
    ec = boost::beast::errc::make_error_code(boost::beast::errc::operation_not_permitted);
    return 0;
  }

 private:
  boost::beast::file file_;
  uint64_t offset_ = 0;
  uint64_t length_ = 0;
};
using FileResponse = http::response<http::basic_file_body<WindowFile>>;

// Where an open event stream's events go. send() may be called after the client left: it is
// then dropped, and open() says so. The session's strand is the caller's thread (the server
// runs on one thread).
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void send(std::string text) = 0;
  virtual bool open() const = 0;
  // Ends the stream once what was sent is written.
  virtual void end() = 0;
};
// An event stream (text/event-stream): the session writes the head, then calls start with the
// sink; the producer keeps the sink (and whatever it needs) alive while it sends.
struct StreamReply {
  std::function<void(std::shared_ptr<EventSink>)> start;
};

using Reply = std::variant<Response, FileResponse, StreamReply>;

// A JSON answer.
Response json_response(http::status status, const boost::json::value &body);
// {"error": {"code": CODE, "message": MESSAGE}}: every error the server or the API gives.
Response error_response(http::status status, const std::string &code, const std::string &message);

// An error a handler throws: becomes error_response(status, code, message).
struct ApiError : std::runtime_error {
  ApiError(http::status s, std::string c, const std::string &message)
      : std::runtime_error(message), status(s), code(std::move(c)) {}
  http::status status;
  std::string code;
};

}  // namespace automuse::web
