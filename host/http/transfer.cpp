// One request across its attempts: see transfer.hpp.
#include "http/transfer.hpp"

#include <stdlib.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "core/text.hpp"
#include "http/body_limits.hpp"

namespace automuse::http {

namespace asio = boost::asio;

namespace {

std::string upper(std::string s) {
  for (char &c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

using core::trim;

}  // namespace

Transfer::Transfer(uint64_t id, Request request, asio::any_io_executor completion, DoneFn done)
    : id_(id),
      request_(std::move(request)),
      completion_(std::move(completion)),
      done_(std::move(done)),
      easy_(curl_easy_init()) {
  request_.method = upper(request_.method);
  channel_->fn = std::move(request_.on_chunk);
}

Transfer::~Transfer() {
  if (body_file_) std::fclose(body_file_);
  if (sink_file_) std::fclose(sink_file_);
  if (header_list_) curl_slist_free_all(header_list_);
  if (easy_) curl_easy_cleanup(easy_);
}

std::optional<std::pair<am_status, std::string>> Transfer::validate() const {
  auto bad = [](std::string msg) {
    return std::optional<std::pair<am_status, std::string>>({AM_INVALID_ARGUMENT, std::move(msg)});
  };
  if (!easy_) return std::pair<am_status, std::string>{AM_NO_MEMORY, "curl_easy_init failed"};
  if (request_.url.empty()) return bad("request.url is empty");
  if (request_.method.empty()) return bad("request.method is empty");
  for (char c : request_.method)
    if (!std::isupper(static_cast<unsigned char>(c)))
      return bad("request.method '" + request_.method + "' is not an HTTP token");
  if (!request_.body.empty() && !request_.body_file.empty())
    return bad("request.body and request.body_file are both set; choose one");
  if (request_.sink == SinkKind::file && request_.response_file.empty())
    return bad("request.response_file is empty but the sink is a file");
  if (request_.sink == SinkKind::callback && !channel_->fn)
    return bad("request.on_chunk is empty but the sink is a callback");
  for (const auto &h : request_.headers) {
    if (h.name.empty() || h.name.find_first_of(":\r\n ") != std::string::npos)
      return bad("request header name '" + h.name + "' is invalid");
    if (h.value.find_first_of("\r\n") != std::string::npos)
      return bad("request header '" + h.name + "' has a line break in its value");
  }
  if (request_.retry.max_attempts < 1) return bad("request.retry.max_attempts must be >= 1");
  return std::nullopt;
}

std::optional<std::pair<am_status, std::string>> Transfer::prepare_attempt(
    const ClientConfig &config) {
  CURL *e = easy_;
  curl_easy_reset(e);
  if (header_list_) curl_slist_free_all(header_list_);
  header_list_ = nullptr;
  if (body_file_) std::fclose(body_file_);
  body_file_ = nullptr;
  if (sink_file_) std::fclose(sink_file_);
  sink_file_ = nullptr;
  body_offset_ = 0;
  body_bytes_sent_ = 0;
  body_position_ = 0;
  sink_decided_ = false;
  sink_is_stream_ = false;
  sink_error_.reset();
  refusal_.reset();
  body_limit_ = response_limit(config.limits, request_);
  int attempts = response_.attempts + (redirect_pending_ ? 0 : 1);
  redirect_pending_ = false;
  response_ = Response{};
  response_.attempts = attempts;

  curl_easy_setopt(e, CURLOPT_URL, request_.url.c_str());
  curl_easy_setopt(e, CURLOPT_PRIVATE, this);
  error_buffer_[0] = '\0';
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, error_buffer_);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Transfer::on_write);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Transfer::on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(e, CURLOPT_USERAGENT, config.user_agent.c_str());
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");  // all encodings curl can decode
  curl_easy_setopt(e, CURLOPT_HTTP_VERSION,
                   config.http2 ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_1_1);
  // Requests started together towards a new https host would each open a connection before
  // ALPN says whether one can carry them all; wait for the first handshake instead, so HTTP/2
  // multiplexes them. Not for http://, which never negotiates HTTP/2 here: there curl would
  // hold them until the first whole response.
  if (config.http2 && request_.url.size() > 8 &&
      strncasecmp(request_.url.c_str(), "https://", 8) == 0)
    curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, config.verify_tls ? 1L : 0L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, config.verify_tls ? 2L : 0L);
  if (!config.ca_bundle.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, config.ca_bundle.c_str());
  // An empty proxy string also stops curl from picking one up from the environment.
  curl_easy_setopt(e, CURLOPT_PROXY, config.proxy.c_str());
  // Redirects are followed by the engine, one attempt per hop (redirect_rules.hpp): libcurl
  // would carry API-key headers and re-post bodies to whatever host a Location names.
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");

  // A user-given URL is checked on every address connected to and every connection reused
  // (redirect hops are attempts too). Through a proxy, the proxy connects: nothing to see.
  address_policy_ = request_.user_url && !config.user_urls.allow_private && config.proxy.empty()
                        ? &config.user_urls
                        : nullptr;
  if (address_policy_) {
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, &Transfer::on_open_socket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, this);
    curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, &Transfer::on_prereq);
    curl_easy_setopt(e, CURLOPT_PREREQDATA, this);
  }

  const Timeouts &t = request_.timeouts;
  if (t.connect.count() > 0)
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, long(t.connect.count()));
  if (t.total.count() > 0) curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, long(t.total.count()));
  if (t.low_speed_bytes_per_sec > 0 && t.low_speed_time.count() > 0) {
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, t.low_speed_bytes_per_sec);
    // curl counts whole seconds; round up so a 1.5 s window is not shortened.
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, long((t.low_speed_time.count() + 999) / 1000));
  }

  // Body: always through the read callback so we know whether any byte was handed to curl.
  bool has_body = !request_.body.empty() || !request_.body_file.empty();
  if (!request_.body_file.empty()) {
    std::error_code ec;
    auto size = std::filesystem::file_size(request_.body_file, ec);
    if (ec)
      return std::pair<am_status, std::string>{
          ec == std::errc::no_such_file_or_directory ? AM_NOT_FOUND : AM_IO,
          "request.body_file '" + request_.body_file.string() + "': " + ec.message()};
    body_file_ = std::fopen(request_.body_file.c_str(), "rb");
    if (!body_file_)
      return std::pair<am_status, std::string>{
          AM_IO,
          "request.body_file '" + request_.body_file.string() + "': " + std::strerror(errno)};
    body_size_ = static_cast<curl_off_t>(size);
  } else {
    body_size_ = static_cast<curl_off_t>(request_.body.size());
  }
  if (auto refused =
          upload_refusal(config.limits.upload, request_, static_cast<uint64_t>(body_size_)))
    return std::pair<am_status, std::string>{AM_INVALID_ARGUMENT, std::move(*refused)};
  // A declared Content-Length over the cap ends the attempt before any body byte; a body
  // without one (chunked, or ended by closing) is counted in write().
  // (Not for HEAD: its Content-Length describes a body that never comes.)
  if (body_limit_.bytes > 0 && request_.method != "HEAD")
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(body_limit_.bytes));
  const std::string &m = request_.method;
  if (m == "POST") {
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, body_size_);
  } else if (has_body) {
    curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, body_size_);
    if (m != "PUT") curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, m.c_str());
  } else if (m == "HEAD") {
    curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
  } else if (m != "GET") {
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, m.c_str());
  }
  if (m == "POST" || has_body) {
    // curl gives every uploading transfer a 64 KiB buffer; a small body (an API call) needs
    // only the minimum, which quarters the memory of many requests in flight.
    if (body_size_ < 64 * 1024) curl_easy_setopt(e, CURLOPT_UPLOAD_BUFFERSIZE, 16 * 1024L);
    curl_easy_setopt(e, CURLOPT_READFUNCTION, &Transfer::on_read);
    curl_easy_setopt(e, CURLOPT_READDATA, this);
    curl_easy_setopt(e, CURLOPT_SEEKFUNCTION, &Transfer::on_seek);
    curl_easy_setopt(e, CURLOPT_SEEKDATA, this);
    tell_body_sent();  // an upload's attempt starts (upload_progress.hpp)
  }

  for (const auto &h : request_.headers) {
    std::string line = h.value.empty() ? h.name + ";" : h.name + ": " + h.value;
    header_list_ = curl_slist_append(header_list_, line.c_str());
  }
  // curl would wait up to a second for "100 Continue" before large bodies; most APIs never
  // send it, so don't ask (an explicit Expect header from the caller still wins).
  if (!find_header(request_.headers, "expect"))
    header_list_ = curl_slist_append(header_list_, "Expect:");
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, header_list_);
  return std::nullopt;
}

void Transfer::redirect_to(Request next) {
  next.on_chunk = nullptr;  // already in the chunk channel
  request_ = std::move(next);
  ++redirects_;
  redirect_pending_ = true;
}

bool Transfer::current_is_success() const {
  long code = 0;
  curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &code);
  return code >= 200 && code < 300;
}

FILE *Transfer::open_part() {
  discard_part();
  std::string name = request_.response_file.string() + ".part-XXXXXX";
  const int fd = ::mkstemp(name.data());
  if (fd < 0) return nullptr;
  part_path_ = name;
  FILE *f = ::fdopen(fd, "wb");
  if (!f) ::close(fd);
  return f;
}

void Transfer::discard_part() {
  if (part_path_.empty()) return;
  std::error_code ec;
  std::filesystem::remove(part_path_, ec);
  part_path_.clear();
}

size_t Transfer::on_write(char *data, size_t size, size_t count, void *self) {
  return static_cast<Transfer *>(self)->write(data, size * count);
}

size_t Transfer::write(const char *data, size_t size) {
  if (body_limit_.bytes > 0 && response_.body_bytes + size > body_limit_.bytes) {
    sink_error_ = {AM_ERROR, response_too_large(body_limit_, request_.url,
                                                response_.body_bytes + size, false)};
    return 0;  // CURLE_WRITE_ERROR ends the transfer
  }
  if (!sink_decided_) {
    sink_decided_ = true;
    sink_is_stream_ = request_.sink != SinkKind::memory && current_is_success();
    if (sink_is_stream_ && request_.sink == SinkKind::file) {
      sink_file_ = open_part();
      if (!sink_file_) {
        sink_error_ = {AM_IO, "response_file '" + request_.response_file.string() +
                                  "': " + std::strerror(errno)};
        return 0;  // CURLE_WRITE_ERROR ends the transfer
      }
    }
  }
  if (!sink_is_stream_) {
    // Memory sink, or a non-2xx body: keep it (capped) for the caller to read the error.
    size_t room = request_.sink == SinkKind::memory       ? size
                  : response_.body.size() < kErrorBodyCap ? kErrorBodyCap - response_.body.size()
                                                          : 0;
    response_.body.append(data, std::min(size, room));
    response_.body_bytes += size;
    return size;
  }
  if (request_.sink == SinkKind::file) {
    if (std::fwrite(data, 1, size, sink_file_) != size) {
      sink_error_ = {AM_IO, "response_file '" + part_path_.string() + "': " + std::strerror(errno)};
      return 0;
    }
    response_.body_bytes += size;
    return size;
  }
  // Callback sink: copy the chunk to the caller's executor, pausing if the caller lags.
  auto channel = channel_;
  if (channel->backlog.load() > kMaxBacklog) {
    channel->paused = true;
    return CURL_WRITEFUNC_PAUSE;  // curl keeps the data and offers it again after unpause
  }
  channel->backlog += size;
  chunks_delivered_ = true;
  response_.body_bytes += size;
  asio::post(completion_, [channel, chunk = std::string(data, size)] {
    channel->fn(chunk);
    size_t left = channel->backlog -= chunk.size();
    if (left <= kMaxBacklog / 4 && channel->paused.exchange(false) && channel->relieve)
      channel->relieve();
  });
  return size;
}

size_t Transfer::on_header(char *data, size_t size, size_t count, void *self_ptr) {
  auto *self = static_cast<Transfer *>(self_ptr);
  size_t n = size * count;
  std::string_view line(data, n);
  if (line.starts_with("HTTP/")) {
    self->response_.headers.clear();  // a new response (after 100 Continue or a redirect)
    return n;
  }
  auto colon = line.find(':');
  if (colon != std::string_view::npos && colon > 0)
    self->response_.headers.push_back(
        {std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1)))});
  return n;
}

size_t Transfer::on_read(char *data, size_t size, size_t count, void *self_ptr) {
  auto *self = static_cast<Transfer *>(self_ptr);
  size_t want = size * count;
  size_t got = 0;
  if (self->body_file_) {
    got = std::fread(data, 1, want, self->body_file_);
    if (got == 0 && std::ferror(self->body_file_)) {
      self->sink_error_ = {
          AM_IO, "request.body_file '" + self->request_.body_file.string() + "': read failed"};
      return CURL_READFUNC_ABORT;
    }
  } else {
    auto left = static_cast<size_t>(self->body_size_ - self->body_offset_);
    got = std::min(want, left);
    std::memcpy(data, self->request_.body.data() + self->body_offset_, got);
    self->body_offset_ += static_cast<curl_off_t>(got);
  }
  self->body_bytes_sent_ += static_cast<curl_off_t>(got);
  self->body_position_ += static_cast<curl_off_t>(got);
  if (got > 0) self->tell_body_sent();
  return got;
}

int Transfer::on_seek(void *self_ptr, curl_off_t offset, int origin) {
  auto *self = static_cast<Transfer *>(self_ptr);
  if (origin != SEEK_SET || offset < 0 || offset > self->body_size_) return CURL_SEEKFUNC_CANTSEEK;
  // curl re-sends a request by itself when a reused connection dies before any answer; a body
  // that may have reached the server (part of an upload chunk, a post) must not go twice
  // unless the caller said so: the attempt fails instead, and the caller decides.
  if (self->body_bytes_sent_ > 0 && !self->request_.retry.safe_to_resend_body)
    return CURL_SEEKFUNC_FAIL;
  if (self->body_file_) {
    if (fseeko(self->body_file_, static_cast<off_t>(offset), SEEK_SET) != 0)
      return CURL_SEEKFUNC_FAIL;
  } else {
    self->body_offset_ = offset;
  }
  self->body_position_ = offset;
  self->tell_body_sent();
  return CURL_SEEKFUNC_OK;
}

curl_socket_t Transfer::on_open_socket(void *self_ptr, curlsocktype, curl_sockaddr *address) {
  auto *self = static_cast<Transfer *>(self_ptr);
  auto ip = address_of(&address->addr);
  auto refused = ip ? self->address_policy_->refusal(*ip, self->request_.url)
                    : std::optional<std::string>(
                          "refused to connect for the user-given URL: "
                          "not an IP address");
  if (refused) {
    if (!self->refusal_) self->refusal_ = std::move(refused);
    return CURL_SOCKET_BAD;  // curl tries the next address, if any, then fails
  }
  return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

int Transfer::on_prereq(void *self_ptr, char *primary_ip, char *, int, int) {
  auto *self = static_cast<Transfer *>(self_ptr);
  auto refused = self->address_policy_->refusal(primary_ip, self->request_.url);
  if (!refused) return CURL_PREREQFUNC_OK;
  self->refusal_ = std::move(refused);
  return CURL_PREREQFUNC_ABORT;  // before anything is sent on the (reused) connection
}

void Transfer::end_attempt(CURLcode result) {
  long code = 0;
  curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &code);
  response_.http_status = code;
  long version = 0;
  curl_easy_getinfo(easy_, CURLINFO_HTTP_VERSION, &version);
  response_.http_version = version == CURL_HTTP_VERSION_2_0   ? "2"
                           : version == CURL_HTTP_VERSION_3   ? "3"
                           : version == CURL_HTTP_VERSION_1_0 ? "1.0"
                           : version != 0                     ? "1.1"
                                                              : "";
  if (result == CURLE_FILESIZE_EXCEEDED && !sink_error_) {
    auto declared = response_.header("content-length");
    auto bytes = declared ? parse_content_length(*declared) : std::nullopt;
    sink_error_ = {AM_ERROR,
                   response_too_large(body_limit_, request_.url,
                                      bytes.value_or(response_.body_bytes + 1), bytes.has_value())};
  }
  if (body_file_) std::fclose(body_file_);
  body_file_ = nullptr;
  if (sink_file_) {
    if (std::fclose(sink_file_) != 0 && !sink_error_)
      sink_error_ = {AM_IO, "response_file '" + part_path_.string() + "': " + std::strerror(errno)};
    sink_file_ = nullptr;
  }
}

void Transfer::complete(am_status status, std::string error) {
  if (completed_) return;
  completed_ = true;
  if (request_.sink == SinkKind::file) {
    std::error_code ec;
    bool success = status == AM_OK && response_.http_status >= 200 && response_.http_status < 300;
    if (success) {
      if (!sink_decided_ || !sink_is_stream_) {
        // A 2xx with an empty body never called write: still produce the (empty) file.
        FILE *f = open_part();
        if (f) std::fclose(f);
      }
      std::filesystem::rename(part_path_, request_.response_file, ec);
      if (!ec) part_path_.clear();
      if (ec) {
        status = AM_IO;
        error = "response_file '" + request_.response_file.string() + "': " + ec.message();
      }
    }
    if (!success || ec) discard_part();
  }
  response_.status = status;
  response_.error = std::move(error);
  response_.elapsed = std::chrono::duration_cast<Millis>(Clock::now() - started_);
  asio::post(completion_,
             [done = std::move(done_), r = std::move(response_)]() mutable { done(std::move(r)); });
}

}  // namespace automuse::http
