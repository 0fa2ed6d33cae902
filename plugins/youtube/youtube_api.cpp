// plugins/youtube/youtube_api.cpp — OAuth token refresh and the resumable upload protocol.
#include "youtube_api.hpp"

#include <automuse/store.h>

#include <algorithm>
#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/http.hpp>
#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <chrono>
#include <fstream>
#include <limits>

namespace youtube {
namespace json = boost::json;
namespace urls = boost::urls;

namespace {

constexpr uint64_t kQuantum = 262144;  // chunks are multiples of 256 KiB
constexpr int kMaxResumes = 8;         // status queries in a row without an answer
constexpr int kMaxStalls = 5;          // 308 answers in a row without progress
constexpr int kMaxSessions = 3;

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const am_store &store_of(const am::job &job) {
  return job.host_ref().service<am_store>(AM_STORE_SERVICE_ID);
}

// The account's nickname, for messages the user acts on (`--account` takes nicknames);
// `account` itself when the store does not know it.
std::string nickname_of(const am::job &job, const std::string &account) {
  am::buffer out, err;
  if (store_of(job).get_account(job.host_ref().get(), am::to_am_str(account), out.out(),
                                err.out()) != AM_OK)
    return account;
  boost::system::error_code ec;
  json::value v = json::parse(out.view(), ec);
  const json::value *nick = !ec && v.is_object() ? v.as_object().if_contains("nickname") : nullptr;
  return nick && nick->is_string() ? std::string(nick->as_string()) : account;
}

// The error reason of a Google API error body ({"error":{"errors":[{"reason"}]}}) or of an
// OAuth error ({"error":"invalid_grant"}).
std::string error_reason(const std::string &body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return {};
  const json::value *e = v.as_object().if_contains("error");
  if (!e) return {};
  if (e->is_string()) return std::string(e->as_string());
  if (!e->is_object()) return {};
  if (auto *errs = e->as_object().if_contains("errors"); errs && errs->is_array())
    for (const auto &x : errs->as_array())
      if (auto *r = x.is_object() ? x.as_object().if_contains("reason") : nullptr;
          r && r->is_string())
        return std::string(r->as_string());
  if (auto *st = e->as_object().if_contains("status"); st && st->is_string())
    return std::string(st->as_string());
  return {};
}

[[noreturn]] void throw_api_error(const am::http_response &r, const std::string &what) {
  const std::string reason = error_reason(r.body);
  if (reason == "quotaExceeded")
    throw am::error(AM_QUOTA_EXCEEDED,
                    what +
                        ": YouTube says quotaExceeded: the API project's daily quota is used "
                        "up; uploads work again after midnight Pacific time");
  if (reason == "uploadLimitExceeded")
    throw am::error(AM_QUOTA_EXCEEDED,
                    what +
                        ": YouTube says uploadLimitExceeded: the channel reached its daily "
                        "upload limit; try again tomorrow");
  if (r.http_status == 401)
    throw am::error(AM_UNAUTHENTICATED, what + ": YouTube refused the access token (401)");
  if (r.http_status == 403)
    throw am::error(AM_PERMISSION_DENIED,
                    what + ": YouTube refused (403" + (reason.empty() ? "" : ", " + reason) + ")");
  throw am::error(AM_ERROR, what + ": HTTP " + std::to_string(r.http_status) +
                                (reason.empty() ? "" : " (" + reason + ")"));
}

am::task<std::string> read_chunk(am::job job, std::string file, uint64_t offset, uint64_t size) {
  auto work = job.on_worker([file, offset, size] {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw am::error(AM_IO, "upload: cannot read " + file);
    in.seekg(static_cast<std::streamoff>(offset));
    std::string data(size, '\0');
    in.read(data.data(), static_cast<std::streamsize>(size));
    if (static_cast<uint64_t>(in.gcount()) != size)
      throw am::error(AM_IO, "upload: " + file + " changed while uploading");
    return data;
  });
  co_return co_await std::move(work);
}

am::task<uint64_t> file_size(am::job job, std::string file) {
  auto work = job.on_worker([file] {
    std::ifstream in(file, std::ios::binary | std::ios::ate);
    if (!in) throw am::error(AM_NOT_FOUND, "upload: cannot read " + file);
    return static_cast<uint64_t>(in.tellg());
  });
  co_return co_await std::move(work);
}

UploadResult parse_video(const am::http_response &r, UploadResult result) {
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  const json::value *id = nullptr;
  if (!ec && v.is_object()) id = v.as_object().if_contains("id");
  if (!id || !id->is_string())
    throw am::error(AM_ERROR, "upload: YouTube finished the upload but sent no video id");
  result.video_id = std::string(id->as_string());
  result.url = "https://youtube.com/shorts/" + result.video_id;
  return result;
}

}  // namespace

int64_t next_byte_from_range(const std::string &range) {
  std::string r = range;
  if (r.rfind("bytes=", 0) == 0) r = r.substr(6);
  size_t dash = r.find('-');
  if (dash == std::string::npos) return -1;
  try {
    size_t used = 0;
    long long last = std::stoll(r.substr(dash + 1), &used);
    // The largest value has no next byte: malformed too (and last + 1 would overflow).
    if (used == 0 || last < 0 || last == std::numeric_limits<long long>::max()) return -1;
    return last + 1;
  } catch (const std::exception &) {
    return -1;
  }
}

ApiConfig parse_api_config(const std::string &text) {
  ApiConfig c;
  boost::system::error_code ec;
  json::value v = json::parse(text.empty() ? "{}" : text, ec);
  if (ec || !v.is_object()) return c;
  const json::object &o = v.as_object();
  auto str = [&](const char *k, std::string &into) {
    if (auto *x = o.if_contains(k); x && !x->is_null()) {
      if (!x->is_string())
        throw am::error(AM_INVALID_ARGUMENT,
                        std::string("automuse.json: plugins.youtube.") + k + " must be a string");
      into = std::string(x->as_string());
    }
  };
  str("client_id", c.client_id);
  str("client_secret", c.client_secret);
  str("token_url", c.token_url);
  str("upload_url", c.upload_url);
  if (auto *x = o.if_contains("chunk_kib"); x && x->is_number()) {
    double kib = x->to_number<double>();
    if (kib < 256 || static_cast<uint64_t>(kib) % 256 != 0)
      throw am::error(AM_INVALID_ARGUMENT,
                      "automuse.json: plugins.youtube.chunk_kib must be a multiple of 256");
    c.chunk_bytes = static_cast<uint64_t>(kib) * 1024;
  }
  if (auto *x = o.if_contains("upload_retry_base_ms"); x && !x->is_null()) {
    const double ms = x->is_number() ? x->to_number<double>() : -1;
    if (!(ms >= 0 && ms <= 60000))
      throw am::error(AM_INVALID_ARGUMENT,
                      "automuse.json: plugins.youtube.upload_retry_base_ms must be 0..60000");
    c.retry_base_ms = static_cast<uint32_t>(ms);
  }
  return c;
}

std::string youtube_safe_text(const std::string &text) {
  std::string out;
  for (char c : text) {
    if (c == '<')
      out += "\xE2\x80\xB9";  // ‹
    else if (c == '>')
      out += "\xE2\x80\xBA";  // ›
    else
      out += c;
  }
  return out;
}

std::string upload_metadata_json(const UploadRequest &r) {
  json::array tags;
  for (const auto &t : r.tags) tags.emplace_back(t);
  json::object body{{"snippet", json::object{{"title", youtube_safe_text(r.title)},
                                             {"description", youtube_safe_text(r.description)},
                                             {"tags", tags},
                                             {"categoryId", r.category_id}}},
                    {"status", json::object{{"privacyStatus", r.privacy},
                                            {"selfDeclaredMadeForKids", r.made_for_kids},
                                            {"containsSyntheticMedia", r.synthetic_media}}}};
  return json::serialize(body);
}

namespace {

// What the store holds for the account: the last access token and the refresh token.
struct StoredToken {
  std::string access_token;
  int64_t expires_at = 0;
  std::string refresh_token;
  std::string scope;
};

StoredToken stored_token(const am::job &job, const std::string &account) {
  StoredToken t;
  am::buffer out, err;
  const am_store &store = store_of(job);
  if (store.get_oauth_token(job.host_ref().get(), am::to_am_str(account), out.out(), err.out()) ==
      AM_OK) {
    json::value v = json::parse(out.view());
    const json::object &o = v.as_object();
    auto s = [&](const char *k) {
      auto *x = o.if_contains(k);
      return x && x->is_string() ? std::string(x->as_string()) : std::string();
    };
    t.refresh_token = s("refresh_token");
    t.scope = s("scope");
    t.access_token = s("access_token");
    auto *exp = o.if_contains("expires_at");
    t.expires_at = exp && exp->is_number() ? exp->to_number<int64_t>() : 0;
  }
  return t;
}

// The account's `refresh_token` secret, for an account never authorised here; empty if none.
std::string secret_refresh_token(const am::job &job, const std::string &account) {
  am::buffer out, err;
  if (store_of(job).get_secret(job.host_ref().get(), am::to_am_str(account),
                               am::to_am_str("refresh_token"), out.out(), err.out()) != AM_OK)
    return {};
  return out.str();
}

// The token endpoint's form (application/x-www-form-urlencoded): every byte but the
// unreserved ones percent-encoded.
std::string refresh_form(const ApiConfig &config, const std::string &refresh_token) {
  auto enc = [](const std::string &s) { return urls::encode(s, urls::unreserved_chars); };
  return "client_id=" + enc(config.client_id) + "&client_secret=" + enc(config.client_secret) +
         "&grant_type=refresh_token&refresh_token=" + enc(refresh_token);
}

// Throws for a token endpoint answer that issued no token; `again` tells how to authorise.
void check_refresh_answer(const am::http_response &r, const std::string &again) {
  if (r.status != AM_OK)
    throw am::error(r.status == AM_CANCELLED ? AM_CANCELLED : AM_UNAVAILABLE,
                    "YouTube token refresh: " + r.error);
  if (r.http_status == 400 || r.http_status == 401) {
    const std::string reason = error_reason(r.body);
    if (reason == "invalid_grant")
      throw am::error(AM_UNAUTHENTICATED,
                      "Google refused the stored refresh token (invalid_grant: revoked or "
                      "expired): " +
                          again);
    if (reason == "invalid_client" || reason == "unauthorized_client")
      throw am::error(AM_INVALID_ARGUMENT,
                      "Google does not accept the OAuth client (" + reason +
                          "): check plugins.youtube.client_id and client_secret in automuse.json");
  }
  if (!r.ok()) throw_api_error(r, "YouTube token refresh");
}

// Stores the refreshed token (before it is used: Google may have rotated the refresh token)
// and returns the access token.
std::string keep_refreshed(const am::job &job, const std::string &account, StoredToken held,
                           const std::string &answer) {
  boost::system::error_code ec;
  json::value v = json::parse(answer, ec);
  const json::object *o = !ec ? v.if_object() : nullptr;
  const json::value *token = o ? o->if_contains("access_token") : nullptr;
  if (!token || !token->is_string())
    throw am::error(AM_ERROR, "YouTube token refresh: the answer has no access_token");
  const std::string access(token->as_string());
  int64_t expires_in = 3600;
  if (auto *e = o->if_contains("expires_in"); e && e->is_number())
    expires_in = e->to_number<int64_t>();
  if (auto *rt = o->if_contains("refresh_token"); rt && rt->is_string())
    held.refresh_token = std::string(rt->as_string());
  if (auto *sc = o->if_contains("scope"); sc && sc->is_string())
    held.scope = std::string(sc->as_string());
  json::object stored{{"provider", "google"},
                      {"access_token", access},
                      {"refresh_token", held.refresh_token},
                      {"token_type", "Bearer"},
                      {"scope", held.scope},
                      {"expires_at", now_seconds() + expires_in}};
  const std::string text = json::serialize(stored);
  am::buffer err;
  if (store_of(job).set_oauth_token(job.host_ref().get(), am::to_am_str(account),
                                    am::to_am_str(text), err.out()) != AM_OK)
    throw am::error(AM_IO, "cannot store the refreshed YouTube token: " + err.str());
  return access;
}

}  // namespace

am::task<std::string> access_token(am::job job, const std::string &account, ApiConfig config,
                                   bool force_refresh) {
  const std::string nickname = nickname_of(job, account);
  const std::string again =
      "run `automuse-host auth youtube --account " + nickname + "` to authorise it";
  StoredToken held = stored_token(job, account);
  if (!force_refresh && !held.access_token.empty() && held.expires_at > now_seconds() + 60)
    co_return held.access_token;
  if (held.refresh_token.empty()) held.refresh_token = secret_refresh_token(job, account);
  if (held.refresh_token.empty())
    throw am::error(AM_UNAUTHENTICATED,
                    "account '" + nickname + "' is not authorised for YouTube: " + again);
  if (config.client_id.empty() || config.client_secret.empty())
    throw am::error(AM_INVALID_ARGUMENT,
                    "automuse.json: plugins.youtube.client_id and client_secret are required to "
                    "publish (a Google Cloud OAuth client of type Desktop app)");
  am::http http(job);
  am::http_request req("POST", config.token_url, refresh_form(config, held.refresh_token));
  req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  req.safe_to_resend_body = true;  // refreshing twice is harmless
  auto call = http.send(std::move(req));
  am::http_response r = co_await std::move(call);
  check_refresh_answer(r, again);
  co_return keep_refreshed(job, account, std::move(held), r.body);
}

namespace {

// Where one upload stands, as far as the server has told.
struct UploadProgress {
  uint64_t total = 0;
  uint64_t offset = 0;           // the next byte to send
  uint64_t confirmed = 0;        // the most the server has said it holds
  int stalls = 0;                // 308 answers in a row without progress
  int failed_queries = 0;        // status queries in a row without an answer
  bool refreshed = false;        // the token was refreshed since the last progress
  bool may_be_complete = false;  // the last byte went out and no answer said otherwise
};

// The session's upload id, shortened: enough to tell sessions apart in a message, not enough
// to use one (a session URI lets its holder upload into it).
std::string session_label(const std::string &uri) {
  const size_t at = uri.find("upload_id=");
  std::string id = at == std::string::npos ? uri : uri.substr(at + 10, uri.find('&', at) - at - 10);
  if (id.size() > 16) id = id.substr(0, 16) + "…";
  return "upload session " + id;
}

// The pause before asking or sending again after the n-th fault in a row: doubling from the
// configured base, to 64 times it.
std::chrono::milliseconds backoff(const ApiConfig &config, int n) {
  return std::chrono::milliseconds(static_cast<int64_t>(config.retry_base_ms)
                                   << std::clamp(n - 1, 0, 6));
}

std::string bytes_of(uint64_t done, uint64_t total) {
  return std::to_string(done) + " of " + std::to_string(total) + " bytes";
}

// Applies a 308's Range: the server holds bytes [0, next). Returns whether that is progress.
bool follow_range(const am::http_response &r, UploadProgress &p) {
  const int64_t next = next_byte_from_range(r.header("Range").value_or(""));
  const uint64_t held = next < 0 ? 0 : static_cast<uint64_t>(next);
  if (held > p.total)
    throw am::error(AM_ERROR, "upload: YouTube says it holds " + std::to_string(held) +
                                  " bytes of a " + std::to_string(p.total) + "-byte file");
  const bool progress = held > p.confirmed;
  p.offset = held;
  p.confirmed = held;  // the server's word, even when it went back
  p.may_be_complete = false;
  if (progress) {
    p.stalls = 0;
    p.refreshed = false;
  }
  return progress;
}

am::http_request chunk_request(const std::string &session, const std::string &token,
                               uint64_t offset, std::string body, uint64_t total) {
  const uint64_t size = body.size();
  am::http_request put("PUT", session, std::move(body));
  put.headers = {
      {"Authorization", "Bearer " + token},
      {"Content-Type", "video/mp4"},
      {"Content-Range", "bytes " + std::to_string(offset) + "-" +
                            std::to_string(offset + size - 1) + "/" + std::to_string(total)}};
  put.max_attempts = 1;  // resuming is the loop's job: it asks where the server stands
  return put;
}

am::http_request status_query(const std::string &session, const std::string &token,
                              uint64_t total) {
  am::http_request q("PUT", session);
  // An empty PUT carries no Content-Length of its own; the protocol wants "0".
  q.headers = {{"Authorization", "Bearer " + token},
               {"Content-Length", "0"},
               {"Content-Range", "bytes */" + std::to_string(total)}};
  q.max_attempts = 1;
  return q;
}

am::http_request session_start(const ApiConfig &config, const std::string &token,
                               const std::string &metadata, uint64_t total) {
  const std::string sep = config.upload_url.find('?') == std::string::npos ? "?" : "&";
  am::http_request start(
      "POST", config.upload_url + sep + "uploadType=resumable&part=snippet,status", metadata);
  start.headers = {{"Authorization", "Bearer " + token},
                   {"Content-Type", "application/json; charset=UTF-8"},
                   {"X-Upload-Content-Length", std::to_string(total)},
                   {"X-Upload-Content-Type", "video/mp4"}};
  start.safe_to_resend_body = true;  // no session exists until it answers
  return start;
}

// What the user does when YouTube may hold the whole video without having said so.
std::string how_to_check(const std::string &nickname, const UploadRequest &request) {
  return "do not upload it again before checking: open https://studio.youtube.com signed in "
         "to the channel of account '" +
         nickname + "', go to Content and look for a video titled \"" +
         youtube_safe_text(request.title) + "\" uploaded just now (the file is " + request.file +
         ")";
}

// One upload in the resumable protocol: the session, where the server stands, and the access
// token. It lives in upload_to_youtube's frame; each part of the protocol is a member.
class ResumableUpload {
 public:
  ResumableUpload(am::job job, const std::string &account, ApiConfig config, UploadRequest request,
                  UploadResume resume)
      : job_(job),
        http_(job),
        log_(job.log()),
        account_(account),
        config_(std::move(config)),
        request_(std::move(request)),
        resume_(std::move(resume)) {}

  am::task<UploadOutcome> run();

 private:
  // One request's answer, and what it carried.
  struct Exchange {
    am::http_response r;
    uint64_t sent_from = 0;   // the chunk's first byte
    bool last_chunk = false;  // the chunk ended the file
  };

  am::task<void> prepare();
  am::task<bool> start_session();
  am::task<Exchange> exchange();
  am::task<void> refresh_mid_upload(uint64_t sent_from);
  void lost_answer(const Exchange &x);
  void took_bytes(const Exchange &x);
  void published(const am::http_response &r);
  void settle_failure(const am::error &e);

  am::job job_;
  am::http http_;
  am::logger log_;
  std::string account_;
  std::string nickname_;
  ApiConfig config_;
  UploadRequest request_;
  UploadResume resume_;
  UploadOutcome out_;
  UploadProgress p_;
  std::string metadata_;  // the snippet/status JSON a session starts with
  uint64_t chunk_ = kQuantum;
  std::string token_;
  std::string session_;
  bool ask_ = false;              // the next request is the status query
  bool start_refreshed_ = false;  // a session start refused the token once already
};

// The file's size, the chunk size, the first token, and the stored session if any (asked
// where it stands first).
am::task<void> ResumableUpload::prepare() {
  auto sizing = file_size(job_, request_.file);
  p_.total = co_await std::move(sizing);
  metadata_ = upload_metadata_json(request_);
  chunk_ = std::max(kQuantum, config_.chunk_bytes / kQuantum * kQuantum);
  auto first_token = access_token(job_, account_, config_, false);
  token_ = co_await std::move(first_token);
  session_ = resume_.session_uri;
  ask_ = !session_.empty();
}

// Starts a new session. False when the token was refused and has been refreshed: try again.
am::task<bool> ResumableUpload::start_session() {
  if (++out_.sessions > kMaxSessions)
    throw am::error(AM_UNAVAILABLE, "upload: YouTube expired " + std::to_string(kMaxSessions) +
                                        " upload sessions in a row; try again later");
  auto started = http_.send(session_start(config_, token_, metadata_, p_.total));
  am::http_response r = co_await std::move(started);
  if (r.status != AM_OK)
    throw am::error(r.status == AM_CANCELLED ? AM_CANCELLED : AM_UNAVAILABLE,
                    "upload: cannot start a session: " + r.error);
  if (r.http_status == 401 && !start_refreshed_) {
    start_refreshed_ = true;
    auto fresh = access_token(job_, account_, config_, true);
    token_ = co_await std::move(fresh);
    --out_.sessions;
    co_return false;
  }
  if (!r.ok()) throw_api_error(r, "upload: starting the session");
  auto location = r.header("Location");
  if (!location || location->empty())
    throw am::error(AM_ERROR, "upload: YouTube started a session without a Location");
  session_ = *location;
  out_.session_uri = session_;
  const uint64_t total = p_.total;
  p_ = UploadProgress{};
  p_.total = total;
  ask_ = false;
  if (resume_.on_session) resume_.on_session(session_);
  log_.info("upload: session started for " + std::to_string(p_.total) + " bytes");
  co_return true;
}

// One request: the next chunk, or (after a fault, or when the server holds every byte yet has
// not answered with the video) the status query; each after its back-off pause.
am::task<ResumableUpload::Exchange> ResumableUpload::exchange() {
  if (p_.offset >= p_.total) ask_ = true;
  Exchange x;
  x.sent_from = p_.offset;
  const int faults = ask_ ? p_.failed_queries : p_.stalls;
  if (faults > 0) {
    auto pause = job_.sleep(backoff(config_, faults));
    co_await std::move(pause);
  }
  if (ask_) {
    ++out_.resumes;
    auto asked = http_.send(status_query(session_, token_, p_.total));
    x.r = co_await std::move(asked);
    co_return x;
  }
  const uint64_t size = std::min(chunk_, p_.total - p_.offset);
  x.last_chunk = p_.offset + size == p_.total;
  auto reading = read_chunk(job_, request_.file, p_.offset, size);
  std::string body = co_await std::move(reading);
  auto sent = http_.send(chunk_request(session_, token_, p_.offset, std::move(body), p_.total));
  x.r = co_await std::move(sent);
  co_return x;
}

// The answer is lost: the bytes may or may not have arrived. The next request asks the server.
void ResumableUpload::lost_answer(const Exchange &x) {
  const std::string what =
      x.r.status != AM_OK ? x.r.error : "HTTP " + std::to_string(x.r.http_status);
  if (ask_) {
    if (++p_.failed_queries >= kMaxResumes)
      throw am::error(AM_UNAVAILABLE,
                      "upload for account '" + nickname_ + "': YouTube did not answer " +
                          std::to_string(kMaxResumes) + " status queries in a row (" + what + ", " +
                          session_label(session_) + ")");
  } else {
    p_.may_be_complete = p_.may_be_complete || x.last_chunk;
    log_.warn("upload: chunk at byte " + std::to_string(x.sent_from) + " failed (" + what +
              "): asking YouTube where the upload stands");
  }
  ask_ = true;
}

// A 308: the server says how much it holds; the next chunk starts there.
void ResumableUpload::took_bytes(const Exchange &x) {
  const bool progress = follow_range(x.r, p_);
  out_.confirmed_bytes = p_.confirmed;
  if (!progress && ++p_.stalls >= kMaxStalls)
    throw am::error(AM_UNAVAILABLE, "upload for account '" + nickname_ +
                                        "': YouTube answered 308 " + std::to_string(kMaxStalls) +
                                        " times in a row without taking more bytes (it holds " +
                                        bytes_of(p_.confirmed, p_.total) + ", " +
                                        session_label(session_) + "); gave up, try again later");
  if (ask_)
    log_.info("upload: resuming at byte " + std::to_string(p_.offset) + " of " +
              std::to_string(p_.total));
  else if (!progress)
    log_.warn("upload: YouTube kept none of the chunk at byte " + std::to_string(x.sent_from) +
              " (308 at " + bytes_of(p_.confirmed, p_.total) + "); sending it again");
  ask_ = false;
}

// The access token expired mid-upload: one refresh, then ask where the server stands.
am::task<void> ResumableUpload::refresh_mid_upload(uint64_t sent_from) {
  log_.warn("upload: YouTube refused the access token at byte " + std::to_string(sent_from) +
            " (401): refreshing it and resuming");
  p_.refreshed = true;
  auto fresh = access_token(job_, account_, config_, true);
  token_ = co_await std::move(fresh);
  ask_ = true;
}

void ResumableUpload::published(const am::http_response &r) {
  p_.may_be_complete = true;  // YouTube has the video, whatever the answer holds
  UploadResult done = parse_video(r, UploadResult{});
  out_.state = UploadOutcome::State::published;
  out_.video_id = done.video_id;
  out_.url = done.url;
  out_.confirmed_bytes = p_.total;
}

// How a failed upload ended: uncertain when every byte may be in YouTube's hands, else failed
// with nothing made on YouTube's side.
void ResumableUpload::settle_failure(const am::error &e) {
  out_.status = e.status();
  out_.confirmed_bytes = p_.confirmed;
  if (p_.may_be_complete) {
    const std::string check = how_to_check(nickname_, request_);
    out_.mark_uncertain("the upload for account '" + nickname_ +
                            "' sent every byte but YouTube did not confirm it (" + e.what() +
                            "): the video may be published; " + check,
                        check);  // never repeated by itself
    return;
  }
  out_.state = UploadOutcome::State::failed;
  out_.platform_did_not_act = true;  // YouTube makes no video of an incomplete upload
  out_.reason = e.what();
  if (out_.reason.find("'" + nickname_ + "'") == std::string::npos)
    out_.reason = "upload for account '" + nickname_ + "': " + out_.reason;
}

am::task<UploadOutcome> ResumableUpload::run() {
  nickname_ = nickname_of(job_, account_);
  try {
    auto preparing = prepare();
    co_await std::move(preparing);
    for (;;) {
      if (session_.empty()) {
        auto starting = start_session();
        if (!co_await std::move(starting)) continue;
      }
      out_.session_uri = session_;
      auto exchanging = exchange();
      const Exchange x = co_await std::move(exchanging);
      const int status = x.r.http_status;
      if (x.r.status == AM_CANCELLED) throw am::error(AM_CANCELLED, "upload cancelled");
      if (x.r.status != AM_OK || status >= 500) {
        lost_answer(x);
        continue;
      }
      p_.failed_queries = 0;
      if (status == 200 || status == 201) {
        published(x.r);
        co_return out_;
      }
      if (status == 308) {
        took_bytes(x);
        continue;
      }
      if (status == 404) {
        log_.warn("upload: the session expired (404): starting again");
        session_.clear();
        continue;
      }
      if (status == 401 && !p_.refreshed) {
        auto refreshing = refresh_mid_upload(x.sent_from);
        co_await std::move(refreshing);
        continue;
      }
      throw_api_error(x.r, ask_ ? "upload: status query" : "upload");
    }
  } catch (const am::error &e) {
    if (e.status() == AM_CANCELLED) throw;
    settle_failure(e);
  }
  co_return out_;
}

}  // namespace

am::task<UploadOutcome> upload_to_youtube(am::job job, const std::string &account, ApiConfig config,
                                          UploadRequest request, UploadResume resume) {
  ResumableUpload upload(job, account, std::move(config), std::move(request), std::move(resume));
  auto running = upload.run();
  co_return co_await std::move(running);
}
am::task<UploadResult> upload_video(am::job job, const std::string &account, ApiConfig config,
                                    UploadRequest request) {
  auto uploading = upload_to_youtube(job, account, std::move(config), std::move(request));
  UploadOutcome o = co_await std::move(uploading);
  if (!o.published()) throw am::error(o.status, o.reason);
  co_return UploadResult{o.video_id, o.url, o.sessions, o.resumes};
}

}  // namespace youtube
