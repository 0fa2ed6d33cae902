// host/oauth/redirect_listener.hpp — the loopback HTTP listener that receives the browser's
// redirect (RFC 8252 section 7.3): 127.0.0.1 only, one request per connection, parsed with
// Boost.Beast, answered with a small HTML page. Every handler runs on the executor given at
// open() (a job's strand), so its owner needs no locks.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>

namespace automuse::oauth {

// One request that reached the listener.
struct RedirectHit {
  std::string method;
  std::string path;                          // "/callback"
  std::map<std::string, std::string> query;  // decoded; the first of repeated names
};

// The hit a request line makes: `target` in origin form ("/callback?code=...&state=...") read
// with Boost.URL, its query decoded, the first of repeated names kept; no path or query when
// the target is not in origin form.
RedirectHit redirect_hit(std::string_view method, std::string_view target);

// Answers the request of one hit: `status`, an HTML page, then closes the connection and
// calls `after` (also when writing failed). Call it exactly once; it may be kept and called
// later (while the code is exchanged).
using Responder =
    std::function<void(unsigned status, std::string html, std::function<void()> after)>;

class RedirectListener : public std::enable_shared_from_this<RedirectListener> {
 public:
  using OnRequest = std::function<void(const RedirectHit &, Responder)>;

  // Listens on 127.0.0.1:port (0: a free port). On failure returns null and sets `error`.
  static std::shared_ptr<RedirectListener> open(boost::asio::any_io_executor executor,
                                                uint16_t port, std::string &error);

  uint16_t port() const noexcept { return port_; }

  // Starts accepting; every complete request goes to on_request. On the executor.
  void start(OnRequest on_request);

  // Stops accepting and closes connections still waiting for their request. Responders
  // already handed out still answer. Idempotent. On the executor.
  void stop();

  explicit RedirectListener(boost::asio::any_io_executor executor);

 private:
  struct Connection;
  void accept();

  boost::asio::any_io_executor executor_;
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  bool stopped_ = false;
  OnRequest on_request_;
  std::set<std::shared_ptr<Connection>> reading_;  // connections whose request is not in yet
};

}  // namespace automuse::oauth
