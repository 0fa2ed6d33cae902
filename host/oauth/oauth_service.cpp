// host/oauth/oauth_service.cpp — the C entry points of automuse.oauth/1.
#include "oauth/oauth_service.hpp"

#include <cstdio>
#include <mutex>

namespace automuse::oauth {
namespace {

am_op_id authorize(const am_oauth *oauth, am_job *job, const am_oauth_request *request,
                   am_oauth_done_fn done, void *user) {
  return static_cast<OAuthService *>(oauth->service_data)->authorize(job, request, done, user);
}

void cancel(const am_oauth *, am_job *job, am_op_id op) {
  job->cancel_op(op);
}

void print_to_stderr(std::string_view text) {
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

}  // namespace

OAuthService::OAuthService(const am_http *http, Notify notify)
    : http_(http), notify_(notify ? std::move(notify) : Notify(print_to_stderr)), table_{} {
  table_.struct_size = sizeof(am_oauth);
  table_.service_data = this;
  table_.authorize = &automuse::oauth::authorize;
  table_.cancel = &automuse::oauth::cancel;
}

am_op_id OAuthService::authorize(am_job *job, const am_oauth_request *request,
                                 am_oauth_done_fn done, void *user) {
  FlowRequest r;
  std::string problem = request ? from_c(*request, r) : "the request is NULL";
  auto flow = std::make_shared<OAuthFlow>(job->shared_from_this(), http_, std::move(r), done, user,
                                          notify_);
  if (!problem.empty())
    return flow->launch_failed(AM_INVALID_ARGUMENT, "OAuth request: " + problem);
  return flow->launch();
}

}  // namespace automuse::oauth
