// host/schedule/approval.hpp — the approval gate (docs/web.md): a job that needs approval runs
// its plugin's making step only and waits in awaiting_approval; approving queues it again to
// run the publishing step on what was made (through the publication ledger, as a plain run
// would publish it); rejecting ends it and discards what was made.
//
// A plugin says how one of its publishing actions splits in its describe() document, on that
// action: "approval": {"make": ACTION, "publish": ACTION, "publish_options": [NAMES]}. The
// making step runs `make` with the job's options minus `publish_options`; its result's
// "history_id" is the item kept; the publishing step runs `publish` with `item=HISTORY_ID`
// and the job's `publish_options`. No ABI change: both are ordinary actions with options.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "schedule/job_events.hpp"
#include "schedule/job_queue.hpp"

namespace automuse::schedule {

struct ApprovalSplit {
  std::string make;
  std::string publish;
  std::vector<std::string> publish_options;
};

// The split `action` declares in a plugin's description; nullopt when it declares none (it
// cannot wait for approval).
std::optional<ApprovalSplit> approval_split(const boost::json::object &description,
                                            const std::string &action);
// Whether any action of the plugin declares one (an account of it may require approval).
bool any_approval_split(const boost::json::object &description);

// The "key=value" options of each step, from the job's.
std::vector<std::string> make_step_sets(const ApprovalSplit &split,
                                        const std::vector<std::string> &sets);
std::vector<std::string> publish_step_sets(const ApprovalSplit &split,
                                           const std::vector<std::string> &sets,
                                           const std::string &item);

// The outcome of a decision on a job.
struct Decision {
  enum class Kind { taken, unknown_job, not_awaiting } kind = Kind::unknown_job;
  std::optional<Job> job;  // as it is after the call
  std::string note;        // what happened to the item's files (reject), for the user
};

// Approves job `id`: it goes back to the queue to publish, and its watchers are told (state
// event "queued"). Not awaiting approval: nothing changes.
Decision approve_job(JobQueue &queue, JobEvents &events, const std::string &id);
// Rejects job `id`: ends it "rejected", marks its history record failed without its file, and
// removes the item's outbox files (those this host holds: the outbox is per host).
Decision reject_job(JobQueue &queue, JobEvents &events, const std::string &id);

// "job ID is not awaiting approval (its state: STATE)" / "no job 'ID'": the message of a
// decision not taken.
std::string decision_refusal(const Decision &d, const std::string &id);

}  // namespace automuse::schedule
