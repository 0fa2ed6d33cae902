// host/app/approval_commands.cpp — approving and rejecting a job awaiting approval by hand.
#include "app/approval_commands.hpp"

#include <iostream>
#include <memory>

#include "log/redaction.hpp"
#include "schedule/approval.hpp"

namespace automuse::app {
namespace {

// The job `given` names: its whole id, or the start of exactly one open job's id (the listing
// of `automuse-host jobs` shows the first 8 characters).
std::string job_id_of(schedule::JobQueue &queue, const std::string &given) {
  if (given.empty() || queue.get(given)) return given;
  std::string found;
  for (const auto &j : queue.open_jobs()) {
    if (j.id.rfind(given, 0) != 0) continue;
    if (!found.empty())
      throw std::runtime_error("'" + given +
                               "' is the start of several jobs' ids; give more of it");
    found = j.id;
  }
  return found.empty() ? given : found;
}

int decide(HostContext &ctx, const std::string &given, bool approve) {
  ctx.store();  // opens (and migrates) the store first
  schedule::JobQueue queue(ctx.store_location());
  schedule::JobEvents events(ctx.store_location());
  const std::string id = job_id_of(queue, given);
  const schedule::Decision d =
      approve ? schedule::approve_job(queue, events, id) : schedule::reject_job(queue, events, id);
  if (d.kind != schedule::Decision::Kind::taken) {
    std::cerr << "automuse-host: jobs " << (approve ? "approve" : "reject") << ": "
              << schedule::decision_refusal(d, id)
              << (d.kind == schedule::Decision::Kind::unknown_job
                      ? " (automuse-host jobs lists the open ones)"
                      : "; only a job awaiting approval can be " +
                            std::string(approve ? "approved" : "rejected"))
              << "\n";
    return 1;
  }
  if (approve)
    std::cout << "Approved job " << id << " (" << d.job->plugin_id << " " << d.job->action
              << "): queued to publish; a worker publishes it (automuse-host worker, daemon "
                 "or serve)\n";
  else
    std::cout << "Rejected job " << id << " (" << d.job->plugin_id << " " << d.job->action
              << "): nothing was published; " << d.note << "\n";
  return 0;
}

}  // namespace

void add_approval_commands(CLI::App &jobs, const std::function<HostContext &()> &context,
                           int *exit_code) {
  for (bool approve : {true, false}) {
    auto id = std::make_shared<std::string>();
    CLI::App *cmd = jobs.add_subcommand(
        approve ? "approve" : "reject",
        approve ? "Approve a job awaiting approval: it is queued again to publish what it made"
                : "Reject a job awaiting approval: nothing is published, what it made is "
                  "discarded (its outbox files removed)");
    cmd->add_option("ID", *id, "The job's id (or the start of it, as `jobs` lists it)")->required();
    cmd->callback([=] {
      try {
        *exit_code = decide(context(), *id, approve);
      } catch (const std::exception &e) {
        std::cerr << "automuse-host: jobs " << (approve ? "approve" : "reject") << ": "
                  << log::redact(e.what()) << "\n";
        *exit_code = 1;
      }
    });
  }
}

}  // namespace automuse::app
