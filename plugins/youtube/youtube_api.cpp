// plugins/youtube/youtube_api.cpp — OAuth token refresh and the resumable upload protocol.
#include "youtube_api.hpp"

#include <automuse/store.h>

#include <algorithm>
#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <fstream>

namespace youtube {
namespace json = boost::json;

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

std::string form_encode(const std::string &s) {
  static const char *kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
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
    if (used == 0 || last < 0) return -1;
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

am::task<std::string> access_token(am::job job, const std::string &account, ApiConfig config,
                                   bool force_refresh) {
  const am::host &host = job.host_ref();
  const am_store &store = store_of(job);
  const std::string nickname = nickname_of(job, account);
  const std::string again =
      "run `automuse-host auth youtube --account " + nickname + "` to authorise it";
  std::string refresh_token, scope;
  {
    am::buffer out, err;
    if (store.get_oauth_token(host.get(), am::to_am_str(account), out.out(), err.out()) == AM_OK) {
      json::value v = json::parse(out.view());
      const json::object &o = v.as_object();
      auto s = [&](const char *k) {
        auto *x = o.if_contains(k);
        return x && x->is_string() ? std::string(x->as_string()) : std::string();
      };
      refresh_token = s("refresh_token");
      scope = s("scope");
      const std::string access = s("access_token");
      auto *exp = o.if_contains("expires_at");
      const int64_t expires_at = exp && exp->is_number() ? exp->to_number<int64_t>() : 0;
      if (!force_refresh && !access.empty() && expires_at > now_seconds() + 60) co_return access;
    }
  }
  if (refresh_token.empty()) {
    am::buffer out, err;
    if (store.get_secret(host.get(), am::to_am_str(account), am::to_am_str("refresh_token"),
                         out.out(), err.out()) == AM_OK)
      refresh_token = out.str();
  }
  if (refresh_token.empty())
    throw am::error(AM_UNAUTHENTICATED,
                    "account '" + nickname + "' is not authorised for YouTube: " + again);
  if (config.client_id.empty() || config.client_secret.empty())
    throw am::error(AM_INVALID_ARGUMENT,
                    "automuse.json: plugins.youtube.client_id and client_secret are required to "
                    "publish (a Google Cloud OAuth client of type Desktop app)");

  am::http http(job);
  am::http_request req("POST", config.token_url,
                       "client_id=" + form_encode(config.client_id) +
                           "&client_secret=" + form_encode(config.client_secret) +
                           "&grant_type=refresh_token&refresh_token=" + form_encode(refresh_token));
  req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  req.safe_to_resend_body = true;  // refreshing twice is harmless
  auto call = http.send(std::move(req));
  am::http_response r = co_await std::move(call);
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
    throw_api_error(r, "YouTube token refresh");
  }
  if (!r.ok()) throw_api_error(r, "YouTube token refresh");
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  const json::object *o = !ec ? v.if_object() : nullptr;
  const json::value *token = o ? o->if_contains("access_token") : nullptr;
  if (!token || !token->is_string())
    throw am::error(AM_ERROR, "YouTube token refresh: the answer has no access_token");
  const std::string access(token->as_string());
  int64_t expires_in = 3600;
  if (auto *e = o->if_contains("expires_in"); e && e->is_number())
    expires_in = e->to_number<int64_t>();
  // Google may rotate the refresh token: store whatever it returned, before using it.
  if (auto *rt = o->if_contains("refresh_token"); rt && rt->is_string())
    refresh_token = std::string(rt->as_string());
  if (auto *sc = o->if_contains("scope"); sc && sc->is_string())
    scope = std::string(sc->as_string());
  json::object stored{{"provider", "google"},
                      {"access_token", access},
                      {"refresh_token", refresh_token},
                      {"token_type", "Bearer"},
                      {"scope", scope},
                      {"expires_at", now_seconds() + expires_in}};
  const std::string text = json::serialize(stored);
  am::buffer err;
  if (store.set_oauth_token(host.get(), am::to_am_str(account), am::to_am_str(text), err.out()) !=
      AM_OK)
    throw am::error(AM_IO, "cannot store the refreshed YouTube token: " + err.str());
  co_return access;
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

}  // namespace

am::task<UploadOutcome> upload_to_youtube(am::job job, const std::string &account, ApiConfig config,
                                          UploadRequest request, UploadResume resume) {
  am::http http(job);
  am::logger log = job.log();
  const std::string nickname = nickname_of(job, account);
  UploadOutcome out;
  UploadProgress p;
  try {
    auto sizing = file_size(job, request.file);
    p.total = co_await std::move(sizing);
    const std::string metadata = upload_metadata_json(request);
    const uint64_t chunk = std::max(kQuantum, config.chunk_bytes / kQuantum * kQuantum);
    auto first_token = access_token(job, account, config, false);
    std::string token = co_await std::move(first_token);
    bool start_refreshed = false;
    std::string session = resume.session_uri;
    bool ask = !session.empty();  // a stored session: ask where it stands first

    for (;;) {
      if (session.empty()) {  // a new session
        if (++out.sessions > kMaxSessions)
          throw am::error(AM_UNAVAILABLE, "upload: YouTube expired " +
                                              std::to_string(kMaxSessions) +
                                              " upload sessions in a row; try again later");
        auto started = http.send(session_start(config, token, metadata, p.total));
        am::http_response r = co_await std::move(started);
        if (r.status != AM_OK)
          throw am::error(r.status == AM_CANCELLED ? AM_CANCELLED : AM_UNAVAILABLE,
                          "upload: cannot start a session: " + r.error);
        if (r.http_status == 401 && !start_refreshed) {
          start_refreshed = true;
          auto fresh = access_token(job, account, config, true);
          token = co_await std::move(fresh);
          --out.sessions;
          continue;
        }
        if (!r.ok()) throw_api_error(r, "upload: starting the session");
        auto location = r.header("Location");
        if (!location || location->empty())
          throw am::error(AM_ERROR, "upload: YouTube started a session without a Location");
        session = *location;
        out.session_uri = session;
        p = UploadProgress{p.total};
        ask = false;
        if (resume.on_session) resume.on_session(session);
        log.info("upload: session started for " + std::to_string(p.total) + " bytes");
      }
      out.session_uri = session;

      // One request: the next chunk, or (after a fault, or when the server holds every byte
      // yet has not answered with the video) the status query.
      if (p.offset >= p.total) ask = true;
      am::http_response r;
      uint64_t sent_from = p.offset;
      bool last_chunk = false;
      if (ask) {
        if (p.failed_queries > 0) {
          auto pause = job.sleep(backoff(config, p.failed_queries));
          co_await std::move(pause);
        }
        ++out.resumes;
        auto asked = http.send(status_query(session, token, p.total));
        r = co_await std::move(asked);
      } else {
        if (p.stalls > 0) {
          auto pause = job.sleep(backoff(config, p.stalls));
          co_await std::move(pause);
        }
        const uint64_t size = std::min(chunk, p.total - p.offset);
        last_chunk = p.offset + size == p.total;
        auto reading = read_chunk(job, request.file, p.offset, size);
        std::string body = co_await std::move(reading);
        auto sent = http.send(chunk_request(session, token, p.offset, std::move(body), p.total));
        r = co_await std::move(sent);
      }
      if (r.status == AM_CANCELLED) throw am::error(AM_CANCELLED, "upload cancelled");

      if (r.status != AM_OK || r.http_status >= 500) {
        // The answer is lost: the bytes may or may not have arrived. Ask the server.
        const std::string what =
            r.status != AM_OK ? r.error : "HTTP " + std::to_string(r.http_status);
        if (ask) {
          if (++p.failed_queries >= kMaxResumes)
            throw am::error(AM_UNAVAILABLE,
                            "upload for account '" + nickname + "': YouTube did not answer " +
                                std::to_string(kMaxResumes) + " status queries in a row (" + what +
                                ", " + session_label(session) + ")");
        } else {
          p.may_be_complete = p.may_be_complete || last_chunk;
          log.warn("upload: chunk at byte " + std::to_string(sent_from) + " failed (" + what +
                   "): asking YouTube where the upload stands");
        }
        ask = true;
        continue;
      }
      p.failed_queries = 0;
      if (r.http_status == 200 || r.http_status == 201) {
        p.may_be_complete = true;  // YouTube has the video, whatever the answer holds
        UploadResult done = parse_video(r, UploadResult{});
        out.state = UploadOutcome::State::published;
        out.video_id = done.video_id;
        out.url = done.url;
        out.confirmed_bytes = p.total;
        co_return out;
      }
      if (r.http_status == 308) {
        const bool progress = follow_range(r, p);
        out.confirmed_bytes = p.confirmed;
        if (!progress && ++p.stalls >= kMaxStalls)
          throw am::error(AM_UNAVAILABLE,
                          "upload for account '" + nickname + "': YouTube answered 308 " +
                              std::to_string(kMaxStalls) +
                              " times in a row without taking more bytes (it holds " +
                              bytes_of(p.confirmed, p.total) + ", " + session_label(session) +
                              "); gave up, try again later");
        if (ask)
          log.info("upload: resuming at byte " + std::to_string(p.offset) + " of " +
                   std::to_string(p.total));
        else if (!progress)
          log.warn("upload: YouTube kept none of the chunk at byte " + std::to_string(sent_from) +
                   " (308 at " + bytes_of(p.confirmed, p.total) + "); sending it again");
        ask = false;
        continue;
      }
      if (r.http_status == 404) {
        log.warn("upload: the session expired (404): starting again");
        session.clear();
        continue;
      }
      if (r.http_status == 401 && !p.refreshed) {
        // The access token expired mid-upload: one refresh, then ask where the server stands.
        log.warn("upload: YouTube refused the access token at byte " + std::to_string(sent_from) +
                 " (401): refreshing it and resuming");
        p.refreshed = true;
        auto fresh = access_token(job, account, config, true);
        token = co_await std::move(fresh);
        ask = true;
        continue;
      }
      throw_api_error(r, ask ? "upload: status query" : "upload");
    }
  } catch (const am::error &e) {
    if (e.status() == AM_CANCELLED) throw;
    out.status = e.status();
    out.confirmed_bytes = p.confirmed;
    if (p.may_be_complete) {
      out.state = UploadOutcome::State::uncertain;
      out.status = AM_UNCERTAIN;  // never repeated by itself
      out.how_to_check = how_to_check(nickname, request);
      out.reason = "the upload for account '" + nickname +
                   "' sent every byte but YouTube did not confirm it (" + e.what() +
                   "): the video may be published; " + out.how_to_check;
    } else {
      out.state = UploadOutcome::State::failed;
      out.platform_did_not_act = true;  // YouTube makes no video of an incomplete upload
      out.reason = e.what();
      if (out.reason.find("'" + nickname + "'") == std::string::npos)
        out.reason = "upload for account '" + nickname + "': " + out.reason;
    }
  }
  co_return out;
}

am::task<UploadResult> upload_video(am::job job, const std::string &account, ApiConfig config,
                                    UploadRequest request) {
  auto uploading = upload_to_youtube(job, account, std::move(config), std::move(request));
  UploadOutcome o = co_await std::move(uploading);
  if (!o.published()) throw am::error(o.status, o.reason);
  co_return UploadResult{o.video_id, o.url, o.sessions, o.resumes};
}

}  // namespace youtube
