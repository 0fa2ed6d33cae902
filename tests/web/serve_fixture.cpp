// tests/web/serve_fixture.cpp — starting `automuse-host serve` in the sandbox and talking to it
// (serve_fixture.hpp).
#include "serve_fixture.hpp"

#include <signal.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "support/files.hpp"

namespace automuse::testing {
namespace json = boost::json;

void ServeFixture::SetUp() {
  write_config(
      json::object{{"plugins", {{"youtube", json::object{}}}}, {"queue", {{"poll_seconds", 0.2}}}});
}

void ServeFixture::write_config(const json::value &config) {
  std::ofstream(root_ / "automuse.json") << json::serialize(config);
}

std::unique_ptr<HostProcess> ServeFixture::start(std::vector<std::string> args) {
  args.push_back("--listen");
  args.push_back("127.0.0.1:0");
  auto env = sandbox_env(root_);
  env.push_back("XDG_CACHE_HOME=" + (root_ / "cache").string());
  auto p =
      std::make_unique<HostProcess>(host_argv(host_exe(HOST_EXE), PLUGIN_DIR, root_, args), env);
  port_ = 0;
  // The login link is the last line of the announcement, flushed with it.
  static const std::regex login_line("Log in \\(one-time link\\): (http://\\S+)");
  static const std::regex port_line("\\(port ([0-9]+)\\)");
  for (int i = 0; i < 1500; ++i) {
    std::smatch login, port;
    const std::string out = p->out();
    if (std::regex_search(out, login, login_line) && std::regex_search(out, port, port_line)) {
      port_ = static_cast<uint16_t>(std::stoi(port[1]));
      login_link_ = login[1];
      token_ = read_file(root_ / "data/automuse/web/api-token");
      while (!token_.empty() && token_.back() == '\n') token_.pop_back();
      return p;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ADD_FAILURE() << "no port and login link printed: " << p->out() << p->err();
  return p;
}

int ServeFixture::stop(HostProcess &host, std::chrono::seconds patience) {
  ::kill(host.pid(), SIGTERM);
  const std::optional<int> code = host.wait(patience);
  EXPECT_TRUE(code.has_value()) << "still running " << patience.count() << " s after SIGTERM";
  return code.value_or(-1);
}

HostResult ServeFixture::cli(const std::string &args) {
  return run_host(host_exe(HOST_EXE), PLUGIN_DIR, root_, args);
}

HttpAnswer ServeFixture::api(const std::string &method, const std::string &target,
                             const std::string &path, const std::string &body) {
  HttpAnswer a = http_call(port_, HttpCall{method, target, body, token_, "", {}});
  record_answer(answers_, method, path, a);
  return a;
}

json::object ServeFixture::job(const std::string &id) {
  HttpAnswer a = api("GET", "/api/v1/jobs/" + id, "/api/v1/jobs/{id}");
  EXPECT_EQ(a.status, 200) << a.body;
  json::value v = a.json();
  return v.is_object() ? v.as_object() : json::object{};
}

json::object ServeFixture::wait_state(const std::string &id, const std::string &state,
                                      int seconds) {
  json::object j;
  for (int i = 0; i < seconds * 10; ++i) {
    j = job(id);
    if (j.contains("state") && j.at("state") == state.c_str()) return j;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ADD_FAILURE() << "job " << id << " never reached " << state << ": " << json::serialize(j);
  return j;
}

std::string ServeFixture::open_state(const std::string &id) {
  HostResult listed = cli("jobs --json");
  EXPECT_EQ(listed.code, 0) << listed.err;
  json::error_code ec;
  const json::value jobs = json::parse(listed.out, ec);
  if (!ec && jobs.is_array())
    for (const auto &j : jobs.as_array())
      if (j.is_object() && j.at("id") == id.c_str()) return std::string(j.at("state").as_string());
  return "";
}

std::string ServeFixture::events_url(const std::string &id) {
  const json::object j = job(id);
  return j.contains("events_url") ? std::string(j.at("events_url").as_string()) : "";
}

std::string ServeFixture::stream_until(const std::string &url, const std::string &marker,
                                       int seconds) {
  return read_stream(port_, url, marker, seconds);
}

std::string ServeFixture::stream_to_end(const std::string &url, int seconds) {
  return read_stream(port_, url, "event: end\n", seconds);
}

json::array ServeFixture::events_of(const std::string &stream) {
  json::array out;
  std::istringstream in(stream);
  std::string line, event;
  while (std::getline(in, line)) {
    if (line.rfind("event: ", 0) == 0) event = line.substr(7);
    if (line.rfind("data: ", 0) == 0) {
      json::object o = json::parse(line.substr(6)).as_object();
      o["event"] = event;
      out.push_back(o);
    }
  }
  return out;
}

HostResult ServeFixture::check_answers() {
  HostResult check = run_in_sandbox(
      root_, std::string("node ") + OPENAPI_CHECK + " " + OPENAPI_DOC + " " + answers_);
  EXPECT_EQ(check.code, 0) << check.out << check.err;
  return check;
}

}  // namespace automuse::testing
