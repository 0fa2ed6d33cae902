// host/app/run_action.hpp — `automuse-host --plugin NAME [ACTION] [--account A | --accounts
// all] [--set k=v]`: run one action, or the same action for several accounts concurrently,
// wait for every completion, print the results. Ctrl-C cancels.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/host_context.hpp"

namespace automuse::app {

struct ActionRequest;
struct ActionOutcome;
// How job_runs names an outcome: succeeded, interrupted, cancelled or failed.
std::string run_status(const ActionOutcome &outcome);

struct ActionRequest {
  std::string plugin;
  std::string action;  // empty: the plugin's first declared action
  std::optional<std::string> account;
  std::vector<std::string> sets;    // "key=value"
  std::vector<std::string> extras;  // the rest of the command line: --key value, positionals
  // --again: a new run even if an identical one finished, and content published again even
  // where the ledger says it is published. Not part of the run's identity.
  bool again = false;
  std::string job_id;  // the job_runs job it belongs to; set when its run is recorded
};

// A request whose identity (plugin, action, account, options) matches a run that already
// succeeded and published something is not run again unless `again`: its recorded result is
// printed, with a note saying so, and it counts as succeeded.
//
// Runs every request (concurrently, within the runner's limits) and returns the process exit
// code: 0 when all succeeded, else the first failure's (1 failure, 2 bad usage, 130
// cancelled or interrupted). One request prints its result JSON to stdout; several print one
// JSON object per line with the account's nickname. Every request is a row in job_runs; one
// that a shutdown interrupted is recorded "interrupted", and the next run of the same plugin,
// account, action and options resumes it (the plugin finds its cached steps by those inputs).
// SIGINT/SIGTERM: see schedule::GracefulStop.
int run_actions(HostContext &context, const std::vector<ActionRequest> &requests);

// The part of a request that job_runs keeps: {"sets": [...], "extras": [...]}, the same text
// for the same options (it is compared to find the run to resume).
std::string request_json(const ActionRequest &request);
// Back from job_runs: fills sets and extras of `request` from that text (bad text: none).
void apply_request_json(const std::string &text, ActionRequest &request);

}  // namespace automuse::app
