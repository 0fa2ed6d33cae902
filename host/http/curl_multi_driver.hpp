// The libcurl multi handle driven by Boost.Asio through curl's socket-action API: curl says
// which sockets to watch and when its timer fires; Asio waits on exactly those (epoll) and
// calls curl_multi_socket_action. No thread per request, no polling loop. Every call into
// curl happens on the driver's strand, so the driver works with any number of I/O threads.
#pragma once

#include <curl/curl.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <functional>
#include <memory>
#include <unordered_map>

namespace automuse::http {

class CurlMultiDriver : public std::enable_shared_from_this<CurlMultiDriver> {
 public:
  using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;
  // Called on the strand when a transfer ends; the handle was already removed from the multi.
  using DoneFn = std::function<void(CURL *easy, CURLcode result)>;

  // max_host / max_total: connection caps (0 = unlimited); transfers over a cap wait in
  // curl's pending queue. Create with std::make_shared: handlers keep the driver alive.
  CurlMultiDriver(boost::asio::io_context &io, long max_host, long max_total, DoneFn on_done);
  ~CurlMultiDriver();
  CurlMultiDriver(const CurlMultiDriver &) = delete;
  CurlMultiDriver &operator=(const CurlMultiDriver &) = delete;

  const Strand &strand() const { return strand_; }

  // Strand only. Starts a configured easy handle; false (and a message) if curl refused it.
  bool add(CURL *easy, std::string *error);
  // Strand only. Stops a transfer without reporting it through on_done.
  void remove(CURL *easy);
  // Strand only. Resume a transfer paused by a write callback.
  void unpause(CURL *easy);
  // Number of sockets currently watched (for tests of descriptor hygiene).
  size_t watched_sockets() const { return sockets_.size(); }

 private:
  struct Socket {
    explicit Socket(const Strand &s) : descriptor(s) {}
    boost::asio::posix::stream_descriptor descriptor;
    curl_socket_t fd = CURL_SOCKET_BAD;
    int wanted = 0;  // CURL_POLL_IN / OUT / INOUT
    bool reading = false;
    bool writing = false;
    bool removed = false;
  };

  static int on_socket(CURL *easy, curl_socket_t fd, int what, void *self, void *socketp);
  static int on_timer(CURLM *multi, long timeout_ms, void *self);
  void watch(curl_socket_t fd, int what);
  void arm(const std::shared_ptr<Socket> &socket);
  // Waits for the socket to be ready in `direction` when curl wants `poll_bit` and no such wait
  // is pending (`waiting`), then tells curl (`select_bit`) and arms again.
  void wait(const std::shared_ptr<Socket> &socket,
            boost::asio::posix::descriptor_base::wait_type direction, int poll_bit, int select_bit,
            bool Socket::*waiting);
  void act(curl_socket_t fd, int event_mask);
  void collect_done();

  CURLM *multi_;
  Strand strand_;
  boost::asio::steady_timer timer_;
  std::unordered_map<curl_socket_t, std::shared_ptr<Socket>> sockets_;
  DoneFn on_done_;
  bool in_destructor_ = false;
};

}  // namespace automuse::http
