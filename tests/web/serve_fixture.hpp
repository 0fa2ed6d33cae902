// tests/web/serve_fixture.hpp — the one fixture of the end-to-end web tests: a sandbox (its own
// data, config and cache folders and config file) in which a real `automuse-host serve` (or
// `daemon --serve`) is started on a free loopback port; the port, the API token and the one-time
// login link it printed; API calls whose JSON answers are kept for the OpenAPI check; a job's
// state and its event stream read whole up to its end; the command line in the same sandbox.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "http_call.hpp"
#include "support/host_process.hpp"
#include "support/temp_folder.hpp"

namespace automuse::testing {

class ServeFixture : public ::testing::Test {
 protected:
  // Writes the offline config: the youtube plugin without accounts, a quick queue poll.
  void SetUp() override;

  // Writes `config` as the sandbox's config file (ROOT/automuse.json).
  void write_config(const boost::json::value &config);

  // Starts `automuse-host ARGS --listen 127.0.0.1:0` in the sandbox and waits until it has
  // printed its port and login link; port_, token_ and login_link_ are then set (port_ stays 0,
  // with a failure recorded, when it never does).
  std::unique_ptr<HostProcess> start(std::vector<std::string> args);

  // Stops `host` as an operator does (SIGTERM: a graceful stop); its exit code.
  int stop(HostProcess &host, std::chrono::seconds patience = std::chrono::seconds(60));

  // Runs `automuse-host ARGS` (shell text) to its end in the same sandbox.
  HostResult cli(const std::string &args);

  // A call with the token whose JSON answer is kept for the OpenAPI check (`path` as the
  // document names it, e.g. /api/v1/jobs/{id}).
  HttpAnswer api(const std::string &method, const std::string &target, const std::string &path,
                 const std::string &body = "");

  // GET /api/v1/jobs/ID (expects 200).
  boost::json::object job(const std::string &id);
  // Waits up to `seconds` until job `id` is in `state`; records a failure when it never is.
  boost::json::object wait_state(const std::string &id, const std::string &state, int seconds);
  // The state of job `id` as `automuse-host jobs --json` lists the open jobs (also while no
  // serve runs); "" when it is not open.
  std::string open_state(const std::string &id);
  // The signed URL of job `id`'s event stream.
  std::string events_url(const std::string &id);

  // The event stream at `url` (read_stream): up to the whole message holding `marker`, or to
  // the "end" message (its data line included), or what came within `seconds`.
  std::string stream_until(const std::string &url, const std::string &marker, int seconds);
  std::string stream_to_end(const std::string &url, int seconds);
  // The data of each message in `stream`, with its event name as "event".
  static boost::json::array events_of(const std::string &stream);

  // Checks every answer api() kept against the OpenAPI document; the validator's result.
  HostResult check_answers();

  TempFolder temp_;
  std::filesystem::path root_ = temp_.path();
  std::string answers_ = (root_ / "answers.jsonl").string();
  uint16_t port_ = 0;
  std::string token_;
  std::string login_link_;
};

}  // namespace automuse::testing
