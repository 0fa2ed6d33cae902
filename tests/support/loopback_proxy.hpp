// LoopbackProxy: a small HTTP forward proxy on 127.0.0.1 for tests of the HTTP service's proxy
// setting. Plain-HTTP requests arrive in absolute form ("GET http://127.0.0.1:8080/x") and are
// forwarded; HTTPS goes through CONNECT tunnels. Only loopback destinations are allowed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace automuse::testing {

class LoopbackProxy {
 public:
  LoopbackProxy();
  ~LoopbackProxy();
  LoopbackProxy(const LoopbackProxy &) = delete;
  LoopbackProxy &operator=(const LoopbackProxy &) = delete;

  uint16_t port() const;
  std::string url() const;  // "http://127.0.0.1:<port>", for the client's proxy setting

  // What the proxy was asked, one line each: "GET http://127.0.0.1:1234/x" or
  // "CONNECT 127.0.0.1:1234".
  std::vector<std::string> seen() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace automuse::testing
