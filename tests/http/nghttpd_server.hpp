// A real HTTP/2 server for tests: Debian's nghttpd (package nghttp2-server) started as a child
// process on 127.0.0.1 with a free port, serving a document folder over TLS with a certificate
// made for the run (so ALPN negotiates "h2"), its verbose frame log kept in a file so a test
// can see which connection (session) and stream each request came on.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "support/temp_folder.hpp"
#include "support/test_certificate.hpp"

namespace automuse::http::test {

// One HEADERS/DATA frame line of nghttpd's verbose log.
struct H2Frame {
  uint64_t session = 0;  // nghttpd's connection id ([id=N])
  bool sent = false;     // sent by the server (else received)
  std::string type;      // "HEADERS", "DATA", "SETTINGS", ...
  uint32_t stream = 0;
  bool end_stream = false;
};

class NghttpdServer {
 public:
  // Throws std::runtime_error with a clear message when nghttpd is not installed or does not
  // start listening within a few seconds.
  NghttpdServer(const automuse::testing::TestCertificate &cert, std::filesystem::path htdocs);
  ~NghttpdServer();
  NghttpdServer(const NghttpdServer &) = delete;
  NghttpdServer &operator=(const NghttpdServer &) = delete;

  uint16_t port() const { return port_; }
  std::string url(const std::string &path) const;  // https://127.0.0.1:<port><path>

  // Stops the server (SIGTERM, then waits for it): its log is complete afterwards.
  void stop();

  // The frames logged so far, in order.
  std::vector<H2Frame> frames() const;

  // Where nghttpd is, or empty: $PATH, then /usr/sbin and /usr/bin (it lives in /usr/sbin).
  static std::filesystem::path find_binary();

 private:
  void cleanup();  // stop, then remove the folder

  automuse::testing::TempFolder dir_;  // key, certificate and log
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

}  // namespace automuse::http::test
