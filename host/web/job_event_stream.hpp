// host/web/job_event_stream.hpp — GET /api/v1/jobs/{id}/events: a job's events as
// Server-Sent Events. The job may run in any process (a worker on another host): its events
// are in the store (schedule/job_events.hpp), so the stream polls there every
// ApiContext::event_poll_ms (200 ms: an event of another process's worker reaches the browser
// within about that much after it was written); an event this process's own worker writes
// wakes the stream at once (schedule::EventBell). It sends what is new, each with its seq as
// the SSE id (a reconnecting
// EventSource sends Last-Event-ID and gets only what it missed). Once the job has ended and
// every event is sent, an "end" event closes the stream; a comment every 15 s keeps idle
// connections open through proxies.
#pragma once

#include <string>

#include "web/api_context.hpp"
#include "web/http_message.hpp"

namespace automuse::web {

// The stream of job `job_id`'s events after seq `after`.
StreamReply job_event_stream(ApiContext &api, std::string job_id, int64_t after);

// One SSE message: "id: ID\nevent: EVENT\ndata: DATA\n\n".
std::string sse_message(int64_t id, const std::string &event, const std::string &data);

}  // namespace automuse::web
