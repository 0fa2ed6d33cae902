// host/web/api_context.hpp — what the API's routes work with: the store and its job queue,
// events, schedules and runs, the installed plugins' descriptions (read once at start), the
// signer of media and event URLs. Every route runs on the server's thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/json/array.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "schedule/job_events.hpp"
#include "schedule/job_queue.hpp"
#include "schedule/schedule_store.hpp"
#include "store/store.hpp"
#include "web/router.hpp"
#include "web/url_signer.hpp"

namespace automuse::web {

struct ApiContext {
  boost::asio::io_context &io;
  store::Store &store;
  store::Location location;
  std::filesystem::path data_dir;  // where the API keeps its files (scripts sent as text)
  boost::json::array plugins;      // each plugin's description (discover_plugins)
  schedule::JobQueue queue;
  std::shared_ptr<schedule::JobEvents> events;
  schedule::ScheduleStore schedules;
  UrlSigner signer;
  int64_t signed_seconds = 600;  // how long a signed URL is good for
  int64_t event_poll_ms = 200;   // how often an event stream looks for new events

  ApiContext(boost::asio::io_context &io_, store::Store &store_, store::Location where,
             std::filesystem::path data, boost::json::array plugins_, std::string signing_key)
      : io(io_),
        store(store_),
        location(where),
        data_dir(std::move(data)),
        plugins(std::move(plugins_)),
        queue(where),
        events(std::make_shared<schedule::JobEvents>(where)),
        schedules(where),
        signer(std::move(signing_key)) {}

  // "PATH?exp=…&sig=…", good for signed_seconds.
  std::string signed_url(const std::string &path) const;
  // The description of plugin `id`, or null.
  const boost::json::object *plugin(const std::string &id) const;
};

// Each adds its resource's routes (web/routes_*.cpp).
void add_system_routes(Router &router, ApiContext &api);
void add_account_routes(Router &router, ApiContext &api);
void add_job_routes(Router &router, ApiContext &api);
void add_outbox_routes(Router &router, ApiContext &api);
void add_schedule_routes(Router &router, ApiContext &api);

}  // namespace automuse::web
