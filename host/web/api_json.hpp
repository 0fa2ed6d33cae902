// host/web/api_json.hpp — the API's JSON conventions: request bodies parsed into objects
// (400 "malformed_json" otherwise), typed members (400 naming the member), ids checked before
// they are used (a path or anything but [A-Za-z0-9_-] is 400 "invalid_id": no client text
// ever reaches the file system), and the shapes of jobs and history records.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>

#include "schedule/job_events.hpp"
#include "schedule/job_queue.hpp"
#include "store/records.hpp"
#include "web/http_message.hpp"
#include "web/router.hpp"

namespace automuse::web {

// The body as a JSON object; throws ApiError 400 (malformed_json, or not an object).
boost::json::object body_object(const Request &request);
// Member `name` of `o` as a string; nullopt when absent; ApiError 400 when of another type.
std::optional<std::string> opt_string(const boost::json::object &o, const char *name);
std::string need_string(const boost::json::object &o, const char *name);
// The parameter {name} checked as an id (1..64 of [A-Za-z0-9_-]); ApiError 400 otherwise.
const std::string &id_param(const RouteContext &c, const char *name);
// A query parameter as a bounded integer (default when absent); ApiError 400 when not one.
int query_int(const RouteContext &c, const char *name, int fallback, int lo, int hi);

boost::json::value opt(const std::optional<std::string> &v);
boost::json::value opt(const std::optional<int64_t> &v);
// A stored JSON text as JSON (the text itself when it does not parse).
boost::json::value stored_json(const std::optional<std::string> &text);

boost::json::object history_json(const store::HistoryRecord &h);
boost::json::object event_json(const schedule::JobEvent &e);

}  // namespace automuse::web
