// plugins/instagram/graph_api.hpp — the Graph API calls a Reel takes, as coroutines over the
// host's HTTP service (docs/protocols/instagram.md): who the token belongs to, the publishing
// limit, a container (by URL or for a resumable upload), the bytes to rupload, the container's
// status, media_publish, and the account's recent media. Graph calls carry the token as
// `Authorization: Bearer`, rupload as `Authorization: OAuth`. Rate limits (4, 17, 32, 613,
// 80002) are waited out here, up to plugins.instagram.max_rate_limit_wait_secs; every other
// refusal is thrown as GraphFailure for the caller's remedy (graph_errors.hpp).
#pragma once

#include <automuse/cpp/error.hpp>
#include <automuse/cpp/http.hpp>
#include <automuse/cpp/job.hpp>
#include <automuse/cpp/task.hpp>
#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "graph_errors.hpp"
#include "settings.hpp"

namespace instagram {

// A call Graph refused (error set) or whose answer never came (transport: status says why).
class GraphFailure : public am::error {
 public:
  GraphFailure(am_status status, std::string message, GraphError error, int http_status)
      : am::error(status, std::move(message)), error_(std::move(error)), http_(http_status) {}
  const GraphError &graph() const { return error_; }
  int http_status() const { return http_; }
  // No HTTP answer at all (connection lost, timed out), or a 5xx: the call may have acted.
  bool answer_lost() const { return http_ == 0 || http_ >= 500; }

 private:
  GraphError error_;
  int http_;
};

struct Me {
  std::string user_id;  // the professional account's Instagram user id
  std::string username;
};

struct PublishingLimit {
  int used = 0, total = 0;
  bool known = false;
};

struct Container {
  std::string id;
  std::string upload_uri;  // resumable: where the bytes go
};

struct ContainerStatus {
  std::string code;  // IN_PROGRESS, FINISHED, ERROR, EXPIRED, PUBLISHED
  std::string text;  // `status`, which carries the error subcode
};

struct MediaItem {
  std::string id, caption, timestamp;
};

class GraphApi {
 public:
  GraphApi(am::job job, PluginSettings settings, Account account, std::string token);

  am::task<Me> me();
  am::task<PublishingLimit> publishing_limit(std::string user_id);
  // video_url empty: a resumable container.
  am::task<Container> create_container(std::string user_id, std::string caption,
                                       std::string video_url);
  // POSTs the whole file to rupload from offset 0 (a resend restarts it).
  am::task<void> upload(std::string uri, std::string path);
  am::task<ContainerStatus> container_status(std::string container_id);
  // One media_publish, never re-sent by the HTTP service. Returns the media id.
  am::task<std::string> publish(std::string user_id, std::string container_id);
  am::task<std::vector<MediaItem>> recent_media(std::string user_id);
  am::task<std::string> permalink(std::string media_id);

  const Account &account() const { return account_; }
  const std::string &token() const { return token_; }

 private:
  std::string url(const std::string &path) const;
  am::task<am::http_response> send(am::http_request request);
  am::task<boost::json::value> get_json(std::string path, std::string what);
  // The answer as JSON, or GraphFailure naming `what`.
  boost::json::value answer(const am::http_response &resp, const std::string &what) const;

  am::job job_;
  PluginSettings settings_;
  Account account_;
  std::string token_;
};

// rupload refused the bytes ({"debug_info":{"retriable","type","message"}}, the message itself
// JSON): `refused_login()` when it will not take this login's token at all.
class UploadRefused : public am::error {
 public:
  UploadRefused(am_status status, std::string message, std::string detail)
      : am::error(status, std::move(message)), detail_(std::move(detail)) {}
  const std::string &detail() const { return detail_; }
  bool refused_login() const {
    return detail_.find("unauthorized user request") != std::string::npos;
  }

 private:
  std::string detail_;
};

// The inner message of an rupload refusal body ("" when it is not one).
std::string upload_refusal_detail(const std::string &body);

}  // namespace instagram
