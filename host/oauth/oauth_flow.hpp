// host/oauth/oauth_flow.hpp — one authorisation in flight: listener, timeout, the user's
// redirect, the code exchange through automuse.http/1, the browser's answer, and the single
// completion. Everything runs on the job's strand; only cancel() may come from elsewhere.
#pragma once

#include <automuse/http.h>
#include <automuse/oauth.h>

#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/job.hpp"
#include "oauth/flow_request.hpp"
#include "oauth/redirect_listener.hpp"

namespace automuse::oauth {

// Where messages meant for the person at the terminal go (the URL to open, a refused
// redirect). Never given secrets.
using Notify = std::function<void(std::string_view)>;

class OAuthFlow : public std::enable_shared_from_this<OAuthFlow> {
 public:
  OAuthFlow(std::shared_ptr<am_job> job, const am_http *http, FlowRequest request,
            am_oauth_done_fn done, void *user, Notify notify);

  // Registers the operation with the job and posts the start to its strand. Returns the
  // op id. Any thread.
  am_op_id launch();

  // Completes at once with `status` (used for requests that fail validation). Any thread.
  am_op_id launch_failed(am_status status, std::string message);

 private:
  void start();
  void on_request(const RedirectHit &hit, Responder respond);
  void exchange(const std::string &code, Responder respond);
  void on_token(const am_http_response &r, Responder respond);
  void finish(am_status status, std::string message, std::string token_json = {});

  std::shared_ptr<am_job> job_;
  const am_http *http_;
  FlowRequest request_;
  am_oauth_done_fn done_;
  void *user_;
  Notify notify_;
  am_op_id op_ = 0;
  FlowSecrets secrets_;
  std::string redirect_uri_;
  std::shared_ptr<RedirectListener> listener_;
  boost::asio::steady_timer timer_;
  am_op_id http_op_ = 0;
  bool exchanging_ = false;
  bool finished_ = false;
  std::shared_ptr<OAuthFlow> keep_;  // the flow keeps itself alive until it finishes
};

}  // namespace automuse::oauth
