// plugins/tiktok/tiktok_api.hpp — the Content Posting API calls the plugin makes, as coroutines
// over the host's HTTP service (docs/protocols/tiktok.md): creator info, the Direct Post and
// inbox inits, and the status fetch. Each carries the account's access token, refreshed before
// it expires and once more after TikTok answers 401 access_token_invalid. TikTok's verdict is
// error.code, not the HTTP status: some refusals come with HTTP 200.
#pragma once

#include <automuse/cpp/job.hpp>
#include <automuse/cpp/task.hpp>
#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "api_errors.hpp"
#include "settings.hpp"
#include "tokens.hpp"

namespace tiktok {

struct CreatorInfo {
  std::string username, nickname;
  std::vector<std::string> privacy_options;
  bool comment_disabled = false, duet_disabled = false, stitch_disabled = false;
  int max_duration_secs = 0;
};

struct Opened {
  std::string publish_id, upload_url;  // the upload URL is a capability: never logged
};

struct PublishStatus {
  std::string status;  // PROCESSING_UPLOAD, PUBLISH_COMPLETE, SEND_TO_USER_INBOX, FAILED, ...
  std::string fail_reason;
  uint64_t uploaded_bytes = 0;
  std::string post_id;  // publicaly_available_post_id[0], once moderation passed
};

// A request whose outcome is unknown: TikTok may have acted (the answer was lost, or a 5xx).
class OutcomeUnknown : public am::error {
 public:
  using am::error::error;
};

class TikTokApi {
 public:
  TikTokApi(am::job job, PluginSettings settings, Account account);

  // POST /v2/post/publish/creator_info/query/. Refusals (spam_risk_*, reached_active_user_cap,
  // with HTTP 200) throw am::error explained.
  am::task<CreatorInfo> creator_info();
  // POST /v2/post/publish/video/init/ (or inbox/video/init/ when `inbox`) with `body`. A lost
  // answer or a 5xx throws OutcomeUnknown; a refusal throws am::error explained.
  am::task<Opened> init(boost::json::object body, bool inbox);
  // POST /v2/post/publish/status/fetch/.
  am::task<PublishStatus> status(std::string publish_id);

  const Account &account() const { return account_; }
  const PluginSettings &settings() const { return settings_; }

 private:
  struct Call {
    int http_status = 0;
    ApiAnswer answer;
  };
  am::task<Call> call(std::string path, std::string body, bool resend_ok);

  am::job job_;
  PluginSettings settings_;
  Account account_;
  Tokens tokens_;
};

}  // namespace tiktok
