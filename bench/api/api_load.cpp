// bench/api/api_load.cpp — the polling clients, the job starter and the event streams.
#include "api_load.hpp"

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/asio/experimental/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cmath>

namespace automuse::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using asio::awaitable;
using asio::use_awaitable;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

double unix_ms() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// A different script per job, so that no step is answered from the cache and no run is taken
// for an earlier identical one: every job really speaks and renders.
std::string script_of(int n) {
  static const char *kFacts[] = {"An octopus has three hearts.",
                                 "Its blood is blue.",
                                 "It tastes with its arms.",
                                 "A group of owls is a parliament.",
                                 "Honey never spoils.",
                                 "Bananas are berries, strawberries are not.",
                                 "A day on Venus is longer than its year.",
                                 "Sharks are older than trees."};
  std::string s = "Fact sheet number " + std::to_string(n) + ".";
  for (int i = 0; i < 6; ++i) s += std::string(" ") + kFacts[(n + i) % 8];
  return s;
}

class Load {
 public:
  Load(const LoadOptions &o, std::function<void()> sample)
      : o_(o), sample_(std::move(sample)), end_(Clock::now() + o.duration) {}

  LoadFigures run() {
    for (int i = 0; i < o_.jobs; ++i) spawn(keep_job());
    for (int i = 0; i < o_.clients; ++i) spawn(client(i));
    spawn(sampler());
    io_.run_until(end_ + std::chrono::milliseconds(200));
    io_.stop();
    return std::move(f_);
  }

 private:
  template <class T>
  void spawn(awaitable<T> a) {
    asio::co_spawn(io_, std::move(a), [this](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception &x) {
        problem(x.what());
      }
    });
  }

  void problem(const std::string &what) {
    if (f_.problems.size() < 8) f_.problems.push_back(what);
  }

  awaitable<void> connect(beast::tcp_stream &s) {
    s.expires_after(std::chrono::seconds(10));
    co_await s.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), o_.port),
                             use_awaitable);
    s.socket().set_option(tcp::no_delay(true));
  }

  // One request on the kept-alive connection `s`; its status and body.
  awaitable<std::pair<int, std::string>> call(beast::tcp_stream &s, http::verb verb,
                                              const std::string &target, std::string body = {}) {
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, "127.0.0.1:" + std::to_string(o_.port));
    req.set(http::field::authorization, "Bearer " + o_.token);
    if (!body.empty()) req.set(http::field::content_type, "application/json");
    req.body() = std::move(body);
    req.prepare_payload();
    s.expires_after(std::chrono::seconds(30));
    co_await http::async_write(s, req, use_awaitable);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    co_await http::async_read(s, buffer, res, use_awaitable);
    co_return std::pair{res.result_int(), std::move(res.body())};
  }

  // Reads `target` once, timed into `into`; false when the connection must be made again.
  awaitable<bool> timed_read(beast::tcp_stream &s, const std::string &target,
                             std::vector<double> &into) {
    const auto t0 = Clock::now();
    try {
      auto [status, body] = co_await call(s, http::verb::get, target);
      into.push_back(ms_since(t0));
      if (status == 200) co_return true;
      ++f_.read_errors;
      problem(target + ": " + std::to_string(status) + " " + body.substr(0, 200));
      co_return true;
    } catch (const std::exception &e) {
      ++f_.read_errors;
      problem(target + ": " + e.what());
      co_return false;
    }
  }

  awaitable<void> client(int i) {
    beast::tcp_stream s(io_);
    co_await connect(s);
    asio::steady_timer timer(io_);
    // Spread over the second, as independent clients would be.
    auto next = Clock::now() + std::chrono::milliseconds((i * 997) % 1000);
    for (int tick = 0; next < end_; ++tick, next += std::chrono::seconds(1)) {
      timer.expires_at(next);
      co_await timer.async_wait(use_awaitable);
      bool ok = true;
      if (!running_.empty())
        ok = co_await timed_read(s, "/api/v1/jobs/" + running_[(i + tick) % running_.size()],
                                 f_.job_reads_ms);
      if (ok) ok = co_await timed_read(s, "/api/v1/jobs", f_.list_reads_ms);
      if (!ok) {
        s.close();
        co_await connect(s);
      }
    }
  }

  awaitable<void> sampler() {
    asio::steady_timer timer(io_);
    while (Clock::now() < end_) {
      sample_();
      timer.expires_after(std::chrono::milliseconds(250));
      co_await timer.async_wait(use_awaitable);
    }
  }

  // Keeps one job running: starts it, watches its stream to its end, starts the next.
  awaitable<void> keep_job() {
    while (Clock::now() < end_) {
      const int n = next_job_++;
      json::object body{{"plugin", "youtube"},
                        {"action", "generate"},
                        {"script_text", script_of(n)},
                        {"options", json::object{{"title", "Bench " + std::to_string(n)},
                                                 {"width", o_.width},
                                                 {"height", o_.height}}}};
      beast::tcp_stream s(io_);
      co_await connect(s);
      auto [status, answer] =
          co_await call(s, http::verb::post, "/api/v1/jobs", json::serialize(body));
      if (status != 201)
        throw std::runtime_error("POST /api/v1/jobs: " + std::to_string(status) + " " + answer);
      ++f_.jobs_started;
      json::value job = json::parse(answer).at("jobs").at(0);
      const std::string id(job.at("id").as_string());
      running_.push_back(id);
      co_await watch(std::string(job.at("events_url").as_string()));
      running_.erase(std::find(running_.begin(), running_.end(), id));
    }
  }

  // One line of an event stream; true at its end.
  bool on_line(const std::string &line, std::string &event, double opened_ms) {
    if (line.rfind("event: ", 0) == 0) event = line.substr(7);
    if (line.rfind("data: ", 0) != 0) return false;
    json::object data = json::parse(line.substr(6)).as_object();
    if (event == "end") {
      ++(data.at("state") == "done" ? f_.jobs_done : f_.jobs_failed);
      if (data.at("state") != "done") problem("a job ended " + json::serialize(data));
      return true;
    }
    // Events written before the stream opened were waiting in the store, not late.
    const double at = static_cast<double>(data.at("at_ms").as_int64());
    if (at >= opened_ms) f_.event_delay_ms.push_back(std::max(0.0, unix_ms() - at));
    return false;
  }

  awaitable<void> watch(const std::string &url) {
    beast::tcp_stream s(io_);
    co_await connect(s);
    s.expires_never();
    const std::string req = "GET " + url +
                            " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(o_.port) +
                            "\r\nAccept: text/event-stream\r\n\r\n";
    co_await asio::async_write(s, asio::buffer(req), use_awaitable);
    const double opened_ms = std::floor(unix_ms());
    std::string got, event;
    bool head = false;
    char chunk[8192];
    for (;;) {
      auto [ec, n] = co_await s.async_read_some(asio::buffer(chunk),
                                                asio::experimental::as_tuple(use_awaitable));
      if (ec) co_return;
      got.append(chunk, n);
      if (!head) {
        const size_t end = got.find("\r\n\r\n");
        if (end == std::string::npos) continue;
        if (got.find(" 200 ") > end) throw std::runtime_error("events: " + got.substr(0, end));
        got.erase(0, end + 4);
        head = true;
      }
      for (size_t nl; (nl = got.find('\n')) != std::string::npos;) {
        const std::string line = got.substr(0, nl);
        got.erase(0, nl + 1);
        if (on_line(line, event, opened_ms)) co_return;
      }
    }
  }

  LoadOptions o_;
  std::function<void()> sample_;
  Clock::time_point end_;
  asio::io_context io_;
  LoadFigures f_;
  std::vector<std::string> running_;  // ids of the jobs being watched
  int next_job_ = 0;
};

}  // namespace

LoadFigures run_load(const LoadOptions &options, const std::function<void()> &sample) {
  return Load(options, sample).run();
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
  return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}

}  // namespace automuse::bench
