// The HTTP service's engine behind HttpClient: request table, attempts, retry decisions and
// logging, all on the curl driver's strand.
#pragma once

#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <random>
#include <unordered_map>

#include "http/curl_multi_driver.hpp"
#include "http/http_types.hpp"
#include "http/transfer.hpp"

namespace automuse::http {

class HttpEngine : public std::enable_shared_from_this<HttpEngine> {
 public:
  HttpEngine(boost::asio::io_context &io, ClientConfig config);
  ~HttpEngine();
  // After construction through make_shared: creates the driver (it calls back through a weak
  // pointer to the engine).
  void init();

  uint64_t send(Request request, boost::asio::any_io_executor completion, DoneFn done);
  void cancel(uint64_t id);
  void cancel_all();  // any thread; posts to the strand
  size_t in_flight() const { return in_flight_.load(); }
  const ClientConfig &config() const { return config_; }

 private:
  struct Active {
    std::unique_ptr<Transfer> transfer;
    std::unique_ptr<boost::asio::steady_timer> retry_timer;
    bool in_multi = false;
  };

  // Strand only from here on.
  void start(std::unique_ptr<Transfer> transfer);
  void attempt(uint64_t id);
  void on_curl_done(CURL *easy, CURLcode result);
  void decide(Active &active, CURLcode result);
  void redirect(Active &active, std::string_view location);
  void finish(uint64_t id, am_status status, std::string error);
  void log(int level, const std::string &message) const;
  void log_request(const Transfer &t) const;

  boost::asio::io_context &io_;
  ClientConfig config_;
  std::shared_ptr<CurlMultiDriver> driver_;
  std::unordered_map<uint64_t, Active> active_;
  std::mt19937_64 rng_{std::random_device{}()};
  std::atomic<uint64_t> next_id_{1};
  std::atomic<size_t> in_flight_{0};
};

}  // namespace automuse::http
