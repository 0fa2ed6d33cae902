// plugins/plugin_support/auth_steps.hpp — the steps every plugin's `auth` action shares around
// its own OAuth request: the action's options, the authorisation through automuse.oauth/1,
// and keeping the token record with automuse.store/1.
#pragma once

#include <automuse/cpp/args.hpp>
#include <automuse/cpp/host.hpp>
#include <automuse/cpp/job.hpp>
#include <automuse/cpp/oauth.hpp>
#include <automuse/cpp/task.hpp>
#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "config_fields.hpp"

namespace plugin_support {

// Points `req` where the plugin's automuse.json section says, as tests do with fakes:
// `authorize_url` (else req's stays) and `redirect_port` (else req's; 0: any free port).
// Throws am::error(AM_INVALID_ARGUMENT) naming a bad field.
void apply_auth_endpoints(am::oauth_request &req, const ConfigSection &section);

// The options every `auth` action takes, as a describe() document lists them: a JSON array for
// the action's "options".
std::string_view auth_options_json();

// Applies the options every `auth` action takes (--no-browser, --port N, --timeout SECS), read
// through automuse.args/1, to `req`. Throws am::error(AM_INVALID_ARGUMENT) naming a bad one.
void apply_auth_options(am::oauth_request &req, const am::args &args);

// Runs the authorisation `req` describes and returns the token endpoint's answer (secret:
// never log it). Throws am::error with the service's status and message when it fails.
am::task<boost::json::object> authorize(am::job job, am::oauth_request req);

// The `expires_at` of a token record (seconds since the epoch) for a token that lives
// `expires_in_secs` from now.
int64_t expires_at(int64_t expires_in_secs);

// Stores `record` (never logged) as the OAuth token of the account `account_key` (its id, or
// nickname) with one set_oauth_token call, so the pair is durable in one transaction. Throws
// am::error(AM_IO) "cannot store the token of LABEL: ..." (`label`: "X account 'news'").
void store_oauth_token(const am::host &host, const std::string &account_key,
                       const boost::json::object &record, const std::string &label);

}  // namespace plugin_support
