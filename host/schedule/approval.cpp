// host/schedule/approval.cpp — the split a plugin declares, and approving or rejecting a job.
#include "schedule/approval.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>

namespace automuse::schedule {
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

std::string key_of(const std::string &set) {
  return set.substr(0, set.find('='));
}

bool is_publish_option(const ApprovalSplit &split, const std::string &set) {
  const std::string key = key_of(set);
  return std::find(split.publish_options.begin(), split.publish_options.end(), key) !=
         split.publish_options.end();
}

void state_event(JobEvents &events, const std::string &job_id, const std::string &state) {
  try {
    JobEvent e;
    e.job_id = job_id;
    e.kind = "state";
    e.name = state;
    events.add(std::move(e));
  } catch (const std::exception &) {
    // watching must not fail the decision
  }
}

// Removes the files of an outbox item whose video is `video`: the files the outbox keeps
// beside it, then its folder if nothing else is left in it (nothing else is touched).
std::string remove_item_files(const fs::path &video) {
  std::error_code ec;
  if (!fs::exists(video, ec))
    return "its files are not on this host (" + video.parent_path().string() + ")";
  const fs::path folder = video.parent_path();
  for (const char *name : {"thumbnail.jpg", "subtitles.ass", "metadata.json"})
    fs::remove(folder / name, ec);
  fs::remove(video, ec);
  fs::remove(folder, ec);  // only when empty
  return "its files were removed (" + folder.string() + ")";
}

}  // namespace

namespace {

// The "approval" object of `action`: in a plugin's summary (the host's plugin listing keeps
// them under "action_approval") or in its describe() document (on the action itself).
const json::object *approval_spec(const json::object &description, const std::string &action) {
  if (const json::value *by = description.if_contains("action_approval"); by && by->is_object()) {
    const json::value *v = by->as_object().if_contains(action);
    return v ? v->if_object() : nullptr;
  }
  const json::value *actions = description.if_contains("actions");
  if (!actions || !actions->is_array()) return nullptr;
  for (const json::value &a : actions->as_array()) {
    const json::object *o = a.if_object();
    if (!o || !o->contains("name") || o->at("name") != json::value(action)) continue;
    const json::value *v = o->if_contains("approval");
    return v ? v->if_object() : nullptr;
  }
  return nullptr;
}

}  // namespace

std::optional<ApprovalSplit> approval_split(const json::object &description,
                                            const std::string &action) {
  const json::object *spec = approval_spec(description, action);
  if (!spec) return std::nullopt;
  auto text = [&](const char *key) {
    const json::value *x = spec->if_contains(key);
    return x && x->is_string() ? std::string(x->as_string()) : std::string();
  };
  ApprovalSplit split{text("make"), text("publish"), {}};
  if (split.make.empty() || split.publish.empty()) return std::nullopt;
  if (const json::value *p = spec->if_contains("publish_options"); p && p->is_array())
    for (const json::value &n : p->as_array())
      if (n.is_string()) split.publish_options.emplace_back(n.as_string());
  return split;
}

bool any_approval_split(const json::object &description) {
  const json::value *actions = description.if_contains("actions");
  if (!actions || !actions->is_array()) return false;
  for (const json::value &a : actions->as_array()) {
    // A name (a plugin's summary) or an action object (a describe() document).
    const json::object *o = a.if_object();
    const json::value *name = o ? o->if_contains("name") : &a;
    if (name && name->is_string() && approval_split(description, std::string(name->as_string())))
      return true;
  }
  return false;
}

std::vector<std::string> make_step_sets(const ApprovalSplit &split,
                                        const std::vector<std::string> &sets) {
  std::vector<std::string> out;
  for (const std::string &s : sets)
    if (!is_publish_option(split, s)) out.push_back(s);
  return out;
}

std::vector<std::string> publish_step_sets(const ApprovalSplit &split,
                                           const std::vector<std::string> &sets,
                                           const std::string &item) {
  std::vector<std::string> out{"item=" + item};
  for (const std::string &s : sets)
    if (is_publish_option(split, s)) out.push_back(s);
  return out;
}

Decision approve_job(JobQueue &queue, JobEvents &events, const std::string &id) {
  Decision d;
  bool taken = false;
  d.job = queue.approve(id, &taken);
  if (!d.job) return d;
  d.kind = taken ? Decision::Kind::taken : Decision::Kind::not_awaiting;
  if (taken) state_event(events, id, "queued");
  return d;
}

Decision reject_job(JobQueue &queue, JobEvents &events, const std::string &id) {
  Decision d;
  bool taken = false;
  std::optional<std::string> file;
  d.job = queue.reject(id, "rejected: not published (what it made was discarded)", &taken, &file);
  if (!d.job) return d;
  if (!taken) {
    d.kind = Decision::Kind::not_awaiting;
    return d;
  }
  d.kind = Decision::Kind::taken;
  d.note = file ? remove_item_files(*file) : "it had no file";
  state_event(events, id, "rejected");
  return d;
}

std::string decision_refusal(const Decision &d, const std::string &id) {
  if (d.kind == Decision::Kind::unknown_job || !d.job) return "no job '" + id + "'";
  return "job " + id + " is not awaiting approval (its state: " + d.job->state + ")";
}

}  // namespace automuse::schedule
