// tests/support/tiktok/fake_tiktok.cpp — FakeTikTok's v2 posting API: creator info, Direct Post
// and inbox init, status fetch, with TikTok's envelope, scopes and per-token rate limits.
#include "support/tiktok/fake_tiktok.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <boost/json.hpp>
#include <set>

namespace automuse::testing {
namespace json = boost::json;

namespace {

constexpr const char *kPublic = "PUBLIC_TO_EVERYONE";
constexpr const char *kSelfOnly = "SELF_ONLY";
const std::set<std::string> kPrivacyLevels = {kPublic, "MUTUAL_FOLLOW_FRIENDS",
                                              "FOLLOWER_OF_CREATOR", kSelfOnly};
const std::set<std::string> kPostInfoFields = {"title",
                                               "privacy_level",
                                               "disable_duet",
                                               "disable_comment",
                                               "disable_stitch",
                                               "video_cover_timestamp_ms",
                                               "brand_content_toggle",
                                               "brand_organic_toggle",
                                               "is_aigc"};

std::vector<std::string> privacy_options(const FakeTikTok::Account &a) {
  if (a.private_account) return {"FOLLOWER_OF_CREATOR", "MUTUAL_FOLLOW_FRIENDS", kSelfOnly};
  return {kPublic, "MUTUAL_FOLLOW_FRIENDS", kSelfOnly};
}

std::string digits(size_t n) {
  std::string s;
  unsigned char b;
  for (size_t i = 0; i < n; ++i) {
    RAND_bytes(&b, 1);
    s += static_cast<char>('0' + b % 10);
  }
  return s;
}

std::string token_text(size_t n) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string s;
  unsigned char b;
  for (size_t i = 0; i < n; ++i) {
    RAND_bytes(&b, 1);
    s += kAlphabet[b % 62];
  }
  return s;
}

std::optional<uint64_t> positive_integer(const json::object &o, const char *key) {
  const json::value *v = o.if_contains(key);
  if (v && v->is_int64() && v->as_int64() > 0) return static_cast<uint64_t>(v->as_int64());
  if (v && v->is_uint64() && v->as_uint64() > 0) return v->as_uint64();
  return std::nullopt;
}

}  // namespace

FakeTikTok::FakeTikTok() : FakeTikTok(Client{}, Options{}) {}

FakeTikTok::FakeTikTok(Options options) : FakeTikTok(Client{}, options) {}

FakeTikTok::FakeTikTok(Client client, Options options)
    : client_(std::move(client)), options_(options) {
  api_.route("GET", "/v2/auth/authorize/",
             [this](const ReceivedRequest &r) { return authorize(r); });
  api_.route("POST", "/v2/oauth/token/", [this](const ReceivedRequest &r) { return token(r); });
  api_.route("POST", "/v2/oauth/revoke/", [this](const ReceivedRequest &r) { return revoke(r); });
  api_.route("POST", "/v2/post/publish/creator_info/query/",
             [this](const ReceivedRequest &r) { return creator_info(r); });
  api_.route("POST", "/v2/post/publish/video/init/",
             [this](const ReceivedRequest &r) { return init(r, false); });
  api_.route("POST", "/v2/post/publish/inbox/video/init/",
             [this](const ReceivedRequest &r) { return init(r, true); });
  api_.route("POST", "/v2/post/publish/status/fetch/",
             [this](const ReceivedRequest &r) { return status_fetch(r); });
  Route &uploads =
      upload_.route("PUT", "/video/", [this](const ReceivedRequest &r) { return put(r); });
  uploads.close_mid_request_if([this](const ReceivedRequest &head) { return cut(head); });
  if (!options_.keep_bytes) uploads.discard_body();
}

// Called with the mutex held.
Reply FakeTikTok::api_error(unsigned status, const std::string &code, const std::string &message) {
  rejections_.push_back(code + ": " + message);
  return Reply::json(json::value(tiktok::api_envelope({}, code, message)), status);
}

std::optional<Reply> FakeTikTok::authenticate(const ReceivedRequest &r,
                                              const std::vector<std::string> &scopes,
                                              Caller &caller) {
  const std::string auth = r.header("Authorization").value_or("");
  const std::string token = auth.rfind("Bearer ", 0) == 0 ? auth.substr(7) : "";
  auto it = access_.find(token);
  if (it == access_.end() || it->second.expiry <= Clock::now() || grants_[it->second.grant].revoked)
    return api_error(401, "access_token_invalid",
                     "The access token is invalid or not found in the request.");
  const Grant &g = grants_[it->second.grant];
  const std::string granted = "," + g.scope + ",";
  if (std::none_of(scopes.begin(), scopes.end(), [&](const std::string &s) {
        return granted.find("," + s + ",") != std::string::npos;
      }))
    return api_error(401, "scope_not_authorized",
                     "The user did not authorize the scope required for completing this request.");
  caller = {g.open_id, token};
  return std::nullopt;
}

std::optional<Reply> FakeTikTok::body_object(const ReceivedRequest &r, json::object &body) {
  if (r.header("Content-Type").value_or("").rfind("application/json", 0) != 0)
    return api_error(400, "invalid_param", "Content-Type must be application/json; charset=UTF-8");
  json::error_code ec;
  json::value v = json::parse(r.body, ec);
  if (ec || !v.is_object()) return api_error(400, "invalid_param", "the body is not a JSON object");
  body = v.as_object();
  return std::nullopt;
}

bool FakeTikTok::over_rate_limit(const std::string &endpoint, const std::string &token,
                                 size_t per_minute) {
  if (!rate_limits_) return false;
  auto &calls = calls_[endpoint + "\n" + token];
  const auto now = Clock::now();
  while (!calls.empty() && now - calls.front() >= std::chrono::minutes(1)) calls.pop_front();
  if (calls.size() >= per_minute) return true;
  calls.push_back(now);
  return false;
}

Reply FakeTikTok::creator_info(const ReceivedRequest &r) {
  std::lock_guard lock(mutex_);
  Caller caller;
  if (auto refused = authenticate(r, {"video.publish"}, caller)) return *refused;
  if (r.header("Content-Type").value_or("").rfind("application/json", 0) != 0)
    return api_error(400, "invalid_param", "Content-Type must be application/json; charset=UTF-8");
  if (over_rate_limit("creator_info", caller.token, 20))
    return api_error(429, "rate_limit_exceeded", "20 requests per minute per token");
  if (!creator_refusals_.empty()) {  // TikTok answers these with HTTP 200 on purpose
    const std::string code = creator_refusals_.front();
    creator_refusals_.pop_front();
    ++faults_served_["creator_info_" + code];
    return api_error(200, code, "The creator cannot post right now.");
  }
  auto account = std::find_if(accounts_.begin(), accounts_.end(),
                              [&](const Account &a) { return a.open_id == caller.open_id; });
  if (account == accounts_.end()) return api_error(500, "internal_error", "unknown open_id");
  json::array options;
  for (const auto &o : privacy_options(*account)) options.emplace_back(o);
  return Reply::json(json::value(
      tiktok::api_envelope({{"creator_avatar_url", "https://p16.tiktokcdn.example/avatar.jpeg"},
                            {"creator_username", account->username},
                            {"creator_nickname", account->nickname},
                            {"privacy_level_options", options},
                            {"comment_disabled", account->comment_disabled},
                            {"duet_disabled", account->duet_disabled},
                            {"stitch_disabled", account->stitch_disabled},
                            {"max_video_post_duration_sec", account->max_video_post_duration_sec}},
                           "ok", "")));
}

std::optional<Reply> FakeTikTok::post_info_problem(const json::value &v, const Account &account) {
  if (!v.is_object()) return api_error(400, "invalid_param", "post_info must be an object");
  const json::object &o = v.as_object();
  for (const auto &kv : o)
    if (!kPostInfoFields.count(std::string(kv.key())))
      return api_error(400, "invalid_param", "unknown post_info field " + std::string(kv.key()));
  if (const json::value *title = o.if_contains("title")) {
    if (!title->is_string()) return api_error(400, "invalid_param", "title must be a string");
    auto units = tiktok::utf16_units(title->as_string());
    if (!units) return api_error(400, "invalid_param", "title is not UTF-8");
    if (*units > 2200)
      return api_error(400, "invalid_param",
                       "title is " + std::to_string(*units) + " UTF-16 units, at most 2200");
  }
  for (const char *flag : {"disable_duet", "disable_comment", "disable_stitch",
                           "brand_content_toggle", "brand_organic_toggle", "is_aigc"})
    if (const json::value *b = o.if_contains(flag); b && !b->is_bool())
      return api_error(400, "invalid_param", std::string(flag) + " must be a boolean");
  if (require_brand_toggle_ && !o.contains("brand_content_toggle"))
    return api_error(400, "invalid_param", "brand_content_toggle is required");
  if (const json::value *ms = o.if_contains("video_cover_timestamp_ms");
      ms && !((ms->is_int64() && ms->as_int64() >= 0) || ms->is_uint64()))
    return api_error(400, "invalid_param", "video_cover_timestamp_ms must be a whole number >= 0");
  const json::value *privacy = o.if_contains("privacy_level");
  if (!privacy || !privacy->is_string() || !kPrivacyLevels.count(std::string(privacy->as_string())))
    return api_error(400, "invalid_param", "privacy_level is missing or not a privacy level");
  const auto offered = privacy_options(account);
  const std::string level(privacy->as_string());
  if (std::find(offered.begin(), offered.end(), level) == offered.end())
    return api_error(403, "privacy_level_option_mismatch",
                     level + " is not among the creator's privacy_level_options");
  if (unaudited_ && (!account.private_account || level != kSelfOnly))
    return api_error(403, "unaudited_client_can_only_post_to_private_accounts",
                     "Please review our integration guidelines at "
                     "https://developers.tiktok.com/doc/content-sharing-guidelines/");
  return std::nullopt;
}

Reply FakeTikTok::init(const ReceivedRequest &r, bool inbox) {
  std::lock_guard lock(mutex_);
  if (failing_inits_ > 0) {
    --failing_inits_;
    ++faults_served_["init_5xx"];
    return Reply::error(failing_init_status_);
  }
  Caller caller;
  if (auto refused = authenticate(r, {inbox ? "video.upload" : "video.publish"}, caller))
    return *refused;
  json::object body;
  if (auto refused = body_object(r, body)) return *refused;
  if (over_rate_limit(inbox ? "inbox_init" : "init", caller.token, 6))
    return api_error(429, "rate_limit_exceeded", "6 requests per minute per token");
  if (!init_refusals_.empty()) {
    const std::string code = init_refusals_.front();
    init_refusals_.pop_front();
    ++faults_served_["init_" + code];
    return api_error(403, code, "The creator cannot post right now.");
  }
  for (const auto &kv : body)
    if (kv.key() != "source_info" && (inbox || kv.key() != "post_info"))
      return api_error(400, "invalid_param",
                       "unexpected field " + std::string(kv.key()) +
                           (inbox ? " (an inbox upload has source_info only)" : ""));
  const json::value *source = body.if_contains("source_info");
  if (!source || !source->is_object())
    return api_error(400, "invalid_param", "source_info is required");
  const json::object &si = source->as_object();
  const json::value *kind = si.if_contains("source");
  if (kind && *kind == "PULL_FROM_URL")  // no domain of the fake's client is verified
    return api_error(403, "url_ownership_unverified",
                     "The domain or URL prefix of video_url is not verified for this client.");
  if (!kind || *kind != "FILE_UPLOAD")
    return api_error(400, "invalid_param", "source must be FILE_UPLOAD or PULL_FROM_URL");
  for (const auto &kv : si)
    if (kv.key() != "source" && kv.key() != "video_size" && kv.key() != "chunk_size" &&
        kv.key() != "total_chunk_count")
      return api_error(400, "invalid_param", "unknown source_info field " + std::string(kv.key()));
  auto size = positive_integer(si, "video_size"), chunk = positive_integer(si, "chunk_size"),
       count = positive_integer(si, "total_chunk_count");
  if (!size || !chunk || !count)
    return api_error(400, "invalid_param",
                     "video_size, chunk_size and total_chunk_count must be positive integers");
  if (auto problem = tiktok::chunk_plan_problem(*size, *chunk, *count, reading_))
    return api_error(400, "invalid_param", *problem);
  auto account = std::find_if(accounts_.begin(), accounts_.end(),
                              [&](const Account &a) { return a.open_id == caller.open_id; });
  if (account == accounts_.end()) return api_error(500, "internal_error", "unknown open_id");
  if (!inbox) {
    const json::value *post_info = body.if_contains("post_info");
    if (!post_info) return api_error(400, "invalid_param", "post_info is required");
    if (auto refused = post_info_problem(*post_info, *account)) return *refused;
  }

  const auto now = Clock::now();
  auto within_day = [&](const PublishState &p) { return now - p.created < std::chrono::hours(24); };
  if (unaudited_) {  // at most 5 posting users per 24 h
    std::set<std::string> users{caller.open_id};
    for (const auto &p : publishes_)
      if (within_day(p)) users.insert(p.record.open_id);
    if (users.size() > 5)
      return api_error(403, "reached_active_user_cap", "The client reached its active user cap.");
  }
  const auto same_kind_today = std::count_if(publishes_.begin(), publishes_.end(), [&](auto &p) {
    return within_day(p) && p.record.open_id == caller.open_id && p.record.inbox == inbox;
  });
  if (inbox && same_kind_today >= 5)
    return api_error(403, "spam_risk_too_many_pending_share",
                     "At most 5 pending shares within any 24-hour period.");
  if (!inbox && same_kind_today >= daily_cap_)
    return api_error(403, "spam_risk_too_many_posts", "The creator posted too much today.");

  PublishState p;
  p.created = now;
  p.upload_expiry = now + upload_lifetime_;
  p.upload_id = digits(12);
  p.upload_token = token_text(24);
  p.record.publish_id = (inbox ? "v_inbox_file~v2." : "v_pub_file~v2-1.") + digits(18);
  p.record.open_id = caller.open_id;
  p.record.access_token = caller.token;
  p.record.inbox = inbox;
  if (!inbox) p.record.post_info = body.at("post_info");
  p.record.video_size = *size;
  p.record.chunk_size = *chunk;
  p.record.total_chunk_count = *count;
  p.record.upload_url =
      upload_.url("/video/?upload_id=" + p.upload_id + "&upload_token=" + p.upload_token);
  publishes_.push_back(p);
  if (lose_init_reply_) {
    lose_init_reply_ = false;
    ++faults_served_["init_reply_lost"];
    return Reply::hang_up();
  }
  return Reply::json(json::value(tiktok::api_envelope(
      {{"publish_id", p.record.publish_id}, {"upload_url", p.record.upload_url}}, "ok", "")));
}

json::object FakeTikTok::status_of(PublishState &p) {
  Publish &rec = p.record;
  json::object data;
  std::string status = "PROCESSING_UPLOAD";
  if (!rec.complete) {
    if (Clock::now() >= p.upload_expiry && !abandoned_fail_reason_.empty()) {
      status = "FAILED";
      rec.fail_reason = abandoned_fail_reason_;
    }
  } else if (++p.polls_after_complete > processing_polls_) {
    if (!p.pending_fail_reason.empty()) {
      status = "FAILED";
      rec.fail_reason = p.pending_fail_reason;
    } else {
      status = rec.inbox ? "SEND_TO_USER_INBOX" : "PUBLISH_COMPLETE";
    }
  }
  rec.status = status;
  data["status"] = status;
  if (status == "FAILED") data["fail_reason"] = rec.fail_reason;
  json::array post_ids;
  if (status == "PUBLISH_COMPLETE" && rec.post_info.is_object() &&
      rec.post_info.as_object().at("privacy_level") == kPublic &&
      p.polls_after_complete > processing_polls_ + moderation_polls_)
    post_ids.emplace_back(std::int64_t{7300000000000000000} +
                          static_cast<int64_t>(&p - publishes_.data()));
  data["publicaly_available_post_id"] = post_ids;  // sic: TikTok's spelling
  data["uploaded_bytes"] = rec.received;
  return data;
}

Reply FakeTikTok::status_fetch(const ReceivedRequest &r) {
  std::lock_guard lock(mutex_);
  Caller caller;
  if (auto refused = authenticate(r, {"video.publish", "video.upload"}, caller)) return *refused;
  json::object body;
  if (auto refused = body_object(r, body)) return *refused;
  if (over_rate_limit("status", caller.token, 30))
    return api_error(429, "rate_limit_exceeded", "30 requests per minute per token");
  const json::value *id = body.if_contains("publish_id");
  if (!id || !id->is_string() || body.size() != 1)
    return api_error(400, "invalid_param", "the body is {\"publish_id\": \"...\"}");
  auto p = std::find_if(publishes_.begin(), publishes_.end(), [&](const PublishState &s) {
    return s.record.publish_id == id->as_string();
  });
  if (p == publishes_.end())
    return api_error(400, "invalid_publish_id", "publish_id does not exist");
  if (p->record.open_id != caller.open_id)
    return api_error(400, "token_not_authorized_for_specified_publish_id",
                     "the publish_id belongs to another user");
  return Reply::json(json::value(tiktok::api_envelope(status_of(*p), "ok", "")));
}

void FakeTikTok::chunk_reading(tiktok::MegaByte reading) {
  std::lock_guard lock(mutex_);
  reading_ = reading;
}

void FakeTikTok::rate_limits(bool on) {
  std::lock_guard lock(mutex_);
  rate_limits_ = on;
}

void FakeTikTok::unaudited_client(bool on) {
  std::lock_guard lock(mutex_);
  unaudited_ = on;
}

void FakeTikTok::require_brand_content_toggle(bool required) {
  std::lock_guard lock(mutex_);
  require_brand_toggle_ = required;
}

void FakeTikTok::daily_post_cap(int posts) {
  std::lock_guard lock(mutex_);
  daily_cap_ = posts;
}

void FakeTikTok::refuse_creator_info(std::string code, int count) {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < count; ++i) creator_refusals_.push_back(code);
}

void FakeTikTok::refuse_init(std::string code, int count) {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < count; ++i) init_refusals_.push_back(code);
}

void FakeTikTok::lose_next_init_reply() {
  std::lock_guard lock(mutex_);
  lose_init_reply_ = true;
}

void FakeTikTok::fail_inits(int count, unsigned status) {
  std::lock_guard lock(mutex_);
  failing_inits_ = count;
  failing_init_status_ = status;
}

void FakeTikTok::processing_polls(int polls) {
  std::lock_guard lock(mutex_);
  processing_polls_ = polls;
}

void FakeTikTok::fail_next_post(std::string fail_reason) {
  std::lock_guard lock(mutex_);
  next_fail_reason_ = std::move(fail_reason);
}

void FakeTikTok::abandoned_upload_fails(std::string fail_reason) {
  std::lock_guard lock(mutex_);
  abandoned_fail_reason_ = std::move(fail_reason);
}

void FakeTikTok::moderation_polls(int polls) {
  std::lock_guard lock(mutex_);
  moderation_polls_ = polls;
}

std::vector<FakeTikTok::Publish> FakeTikTok::publishes() const {
  std::lock_guard lock(mutex_);
  std::vector<Publish> out;
  for (const auto &p : publishes_) out.push_back(p.record);
  return out;
}

std::vector<FakeTikTok::Publish> FakeTikTok::posts() const {
  std::lock_guard lock(mutex_);
  std::vector<Publish> out;
  for (const auto &p : publishes_)
    if (p.record.complete) out.push_back(p.record);
  return out;
}

std::vector<FakeTikTok::Put> FakeTikTok::puts() const {
  std::lock_guard lock(mutex_);
  return puts_;
}

std::vector<std::string> FakeTikTok::rejections() const {
  std::lock_guard lock(mutex_);
  return rejections_;
}

std::map<std::string, int> FakeTikTok::faults_served() const {
  std::lock_guard lock(mutex_);
  return faults_served_;
}

}  // namespace automuse::testing
