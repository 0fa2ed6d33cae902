// host/oauth/oauth_service.hpp — the automuse.oauth/1 C table: each authorize call becomes an
// OAuthFlow on the caller's job, exchanging the code through the host's automuse.http/1.
#pragma once

#include <automuse/http.h>
#include <automuse/oauth.h>

#include "oauth/oauth_flow.hpp"

namespace automuse::oauth {

class OAuthService {
 public:
  // `http` (the automuse.http/1 table) must outlive the service, which must outlive every
  // plugin using the table. `notify` shows messages to the person at the terminal; the
  // default writes them to stderr.
  explicit OAuthService(const am_http *http, Notify notify = {});
  OAuthService(const OAuthService &) = delete;
  OAuthService &operator=(const OAuthService &) = delete;

  // The table to register under AM_OAUTH_SERVICE_ID.
  const am_oauth *table() const { return &table_; }

  am_op_id authorize(am_job *job, const am_oauth_request *request, am_oauth_done_fn done,
                     void *user);

 private:
  const am_http *http_;
  Notify notify_;
  am_oauth table_;
};

}  // namespace automuse::oauth
