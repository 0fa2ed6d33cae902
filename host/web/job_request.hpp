// host/web/job_request.hpp — a request to start jobs (POST /api/v1/jobs) checked against the
// plugin's own description and turned into queue jobs: the plugin and action must exist, the
// account too, every option must be one the action declares, with a string, number or
// boolean value. Options that name a file or folder on the server (their help says "file" or
// "folder", e.g. youtube's script and outbox) are refused: a client's path never reaches the
// file system; a script is sent as text instead ("script_text"), which the server keeps in its
// own folder and passes as the script option. "topics": [...] starts one job per topic.
// "approval": "required" makes each job wait for approval after its making step
// (schedule/approval.hpp); an account that requires approval makes it so too.
#pragma once

#include <boost/json/object.hpp>
#include <vector>

#include "schedule/job_queue.hpp"
#include "web/api_context.hpp"

namespace automuse::web {

// At most this many jobs per request.
inline constexpr size_t kMaxBatch = 100;

// The jobs `body` asks for, checked (throws ApiError 4xx naming the field), not yet enqueued.
std::vector<schedule::Job> jobs_of_request(ApiContext &api, const boost::json::object &body);

}  // namespace automuse::web
