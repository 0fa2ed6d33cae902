// The store's record types (accounts, history, products, OAuth tokens) and their JSON form,
// which is what the CLI prints with --json and what crosses the ABI in automuse.store/1.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace automuse::store {

using OptString = std::optional<std::string>;

struct Account {
  std::string id{};  // UUID; imported accounts keep the original's id
  std::string plugin_id{};
  std::string nickname{};
  boost::json::object fields{};   // the plugin's declared fields, secrets excluded
  boost::json::object extra{};    // fields kept from an import that the plugin does not declare
  std::string approval = "none";  // "required": its jobs wait for approval before publishing
  int64_t created_at = 0;         // Unix seconds, UTC
  int64_t updated_at = 0;
};

inline constexpr std::string_view kKinds[] = {"video", "post", "pitch"};
inline constexpr std::string_view kStatuses[] = {"generated", "published", "failed"};

struct HistoryRecord {
  std::string id{};  // UUID, assigned by the store when empty
  OptString account_id{};
  std::string plugin_id{};
  std::string kind = "video";  // video | post | pitch
  OptString title{};
  OptString body{};  // description of a video, text of a post or pitch
  OptString local_file{};
  OptString remote_id{};
  OptString remote_url{};
  std::string status = "generated";  // generated | published | failed
  OptString error{};
  boost::json::object extra{};
  OptString origin_key{};  // set by imports so that a second import skips the record
  int64_t created_at = 0;  // 0: now
  int64_t updated_at = 0;
};

struct Product {
  std::string id{};              // UUID; imported products keep the original's id
  OptString link{};              // affiliate link, or
  OptString asin{};              // the ASIN (derived from the link when it has one)
  OptString marketplace{};       // e.g. www.amazon.com
  OptString share_plugin_id{};   // the publisher plugin that shares the pitch, e.g. twitter
  OptString share_account_id{};  // and the account it shares from
  OptString notes{};
  boost::json::object extra{};
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct OAuthToken {
  std::string account_id{};
  std::string provider{};  // e.g. google, x
  OptString access_token{};
  OptString refresh_token{};
  OptString token_type{};
  OptString scope{};
  std::optional<int64_t> expires_at{};  // Unix seconds
  int64_t updated_at = 0;
};

boost::json::object to_json(const Account &a);
boost::json::object to_json(const HistoryRecord &h);
boost::json::object to_json(const Product &p);
// Includes the tokens: only for the ABI, never printed by the CLI.
boost::json::object to_json(const OAuthToken &t);

// Read a record from JSON (the ABI's input). Unknown keys are refused, naming them; `what`
// prefixes error messages. Throw StoreError.
HistoryRecord history_from_json(const boost::json::object &o, std::string_view what);
Product product_from_json(const boost::json::object &o, std::string_view what);
OAuthToken oauth_from_json(const boost::json::object &o, std::string_view what);

// "2024-05-01T12:00:00Z" for a Unix time.
std::string iso_utc(int64_t unix_seconds);

}  // namespace automuse::store
