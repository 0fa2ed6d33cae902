// libcurl multi + Boost.Asio socket-action integration: see curl_multi_driver.hpp.
#include "http/curl_multi_driver.hpp"

#include <boost/asio/bind_executor.hpp>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace automuse::http {

namespace asio = boost::asio;

CurlMultiDriver::CurlMultiDriver(asio::io_context &io, long max_host, long max_total,
                                 DoneFn on_done)
    : multi_(curl_multi_init()),
      strand_(asio::make_strand(io)),
      timer_(strand_),
      on_done_(std::move(on_done)) {
  if (!multi_) throw std::runtime_error("curl_multi_init failed");
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &CurlMultiDriver::on_socket);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &CurlMultiDriver::on_timer);
  curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, max_host);
  curl_multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS, max_total);
  // Keep as many idle connections as may be open: curl's default pool (4 x the transfers
  // added at the moment one ends) closes one connection per finished transfer after a burst,
  // so the next burst reconnects. Idle ones still close after curl's MAXAGE_CONN (118 s).
  if (max_total > 0) curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, max_total);
  curl_multi_setopt(multi_, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
}

CurlMultiDriver::~CurlMultiDriver() {
  in_destructor_ = true;
  // Hand every descriptor back to curl before it closes them: Asio must not close curl's fds.
  for (auto &[fd, socket] : sockets_) {
    socket->removed = true;
    boost::system::error_code ignored;
    socket->descriptor.cancel(ignored);
    socket->descriptor.release();
  }
  sockets_.clear();
  curl_multi_cleanup(multi_);
}

bool CurlMultiDriver::add(CURL *easy, std::string *error) {
  CURLMcode rc = curl_multi_add_handle(multi_, easy);
  if (rc != CURLM_OK) {
    if (error) *error = curl_multi_strerror(rc);
    return false;
  }
  return true;
}

void CurlMultiDriver::remove(CURL *easy) {
  curl_multi_remove_handle(multi_, easy);
}

void CurlMultiDriver::unpause(CURL *easy) {
  curl_easy_pause(easy, CURLPAUSE_CONT);
  // Unpausing can deliver buffered data and finish the transfer synchronously.
  collect_done();
}

int CurlMultiDriver::on_socket(CURL *, curl_socket_t fd, int what, void *self, void *) {
  static_cast<CurlMultiDriver *>(self)->watch(fd, what);
  return 0;
}

int CurlMultiDriver::on_timer(CURLM *, long timeout_ms, void *self_ptr) {
  auto *self = static_cast<CurlMultiDriver *>(self_ptr);
  if (self->in_destructor_) return 0;
  if (timeout_ms < 0) {
    self->timer_.cancel();
    return 0;
  }
  // Never call back into curl from inside its callback: schedule, even for a zero timeout.
  self->timer_.expires_after(std::chrono::milliseconds(timeout_ms));
  self->timer_.async_wait(asio::bind_executor(
      self->strand_, [weak = self->weak_from_this()](const boost::system::error_code &ec) {
        if (ec) return;  // cancelled or re-armed
        if (auto driver = weak.lock()) driver->act(CURL_SOCKET_TIMEOUT, 0);
      }));
  return 0;
}

void CurlMultiDriver::watch(curl_socket_t fd, int what) {
  auto it = sockets_.find(fd);
  if (what == CURL_POLL_REMOVE) {
    // curl reports REMOVE before it closes the fd, so release() (not close) is correct here.
    if (it != sockets_.end()) {
      auto socket = it->second;
      socket->removed = true;
      boost::system::error_code ignored;
      socket->descriptor.cancel(ignored);
      socket->descriptor.release();
      sockets_.erase(it);
    }
    return;
  }
  if (in_destructor_) return;
  if (it == sockets_.end()) {
    auto socket = std::make_shared<Socket>(strand_);
    boost::system::error_code ec;
    socket->descriptor.assign(fd, ec);
    if (ec) return;  // curl's own timeouts end the transfer; nothing sane to do here
    socket->fd = fd;
    it = sockets_.emplace(fd, std::move(socket)).first;
  }
  it->second->wanted = what;
  arm(it->second);
}

void CurlMultiDriver::arm(const std::shared_ptr<Socket> &socket) {
  using Wait = asio::posix::descriptor_base::wait_type;
  wait(socket, Wait::wait_read, CURL_POLL_IN, CURL_CSELECT_IN, &Socket::reading);
  wait(socket, Wait::wait_write, CURL_POLL_OUT, CURL_CSELECT_OUT, &Socket::writing);
}

void CurlMultiDriver::wait(const std::shared_ptr<Socket> &socket,
                           asio::posix::descriptor_base::wait_type direction, int poll_bit,
                           int select_bit, bool Socket::*waiting) {
  if (!(socket->wanted & poll_bit) || (*socket).*waiting) return;
  (*socket).*waiting = true;
  auto self = shared_from_this();
  socket->descriptor.async_wait(
      direction, asio::bind_executor(strand_, [self, socket, poll_bit, select_bit,
                                               waiting](const boost::system::error_code &ec) {
        (*socket).*waiting = false;
        if (socket->removed || ec == asio::error::operation_aborted) return;
        if (!(socket->wanted & poll_bit)) return;
        self->act(socket->fd, select_bit | (ec ? CURL_CSELECT_ERR : 0));
        if (!socket->removed) self->arm(socket);
      }));
}

void CurlMultiDriver::act(curl_socket_t fd, int event_mask) {
  int running = 0;
  curl_multi_socket_action(multi_, fd, event_mask, &running);
  collect_done();
}

void CurlMultiDriver::collect_done() {
  std::vector<std::pair<CURL *, CURLcode>> done;
  int left = 0;
  while (CURLMsg *msg = curl_multi_info_read(multi_, &left)) {
    if (msg->msg == CURLMSG_DONE) done.emplace_back(msg->easy_handle, msg->data.result);
  }
  for (auto &[easy, result] : done) {
    curl_multi_remove_handle(multi_, easy);
    on_done_(easy, result);
  }
}

}  // namespace automuse::http
