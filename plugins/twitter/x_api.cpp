// plugins/twitter/x_api.cpp — X API v2 requests, authentication and error mapping.
#include "x_api.hpp"

#include <algorithm>
#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/oauth_refresh.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>

namespace twitter {
namespace json = boost::json;

namespace {

std::optional<std::string> secret(const am_host *host, const am_store &store,
                                  const std::string &account, const char *name) {
  am::buffer value;
  if (store.get_secret(host, am::to_am_str(account), am::to_am_str(std::string_view(name)),
                       value.out(), nullptr) != AM_OK)
    return std::nullopt;
  return value.str();
}

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string json_string(const json::value &v, std::initializer_list<const char *> path) {
  const json::value *at = &v;
  for (const char *k : path) {
    auto *o = at->if_object();
    if (!o || !(at = o->if_contains(k))) return "";
  }
  if (at->is_string()) return std::string(at->as_string());
  if (at->is_int64()) return std::to_string(at->as_int64());
  return "";
}

json::value parse_or_null(const std::string &body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  return ec ? json::value() : v;
}

}  // namespace

std::string error_detail(const std::string &body) {
  json::value v = parse_or_null(body);
  if (v.is_null()) return body.substr(0, 200);
  std::string detail = json_string(v, {"detail"});
  if (detail.empty()) detail = json_string(v, {"title"});
  if (auto *o = v.if_object())
    if (auto *errors = o->if_contains("errors"); errors && errors->is_array())
      for (auto &e : errors->as_array()) {
        std::string m = json_string(e, {"message"});
        if (!m.empty()) detail += (detail.empty() ? "" : "; ") + m;
      }
  if (detail.empty()) detail = json_string(v, {"error_description"});
  return detail;
}

Credentials load_credentials(const am_host *host, const Account &account) {
  const auto &store = am::host(host).service<am_store>(AM_STORE_SERVICE_ID);
  Credentials c;
  am::buffer token;
  if (store.get_oauth_token(host, am::to_am_str(account.id), token.out(), nullptr) == AM_OK) {
    json::value t = parse_or_null(token.str());
    c.bearer_token = json_string(t, {"access_token"});
    c.refresh_token = json_string(t, {"refresh_token"});
  }
  if (c.bearer_token.empty())
    c.bearer_token = secret(host, store, account.id, "bearer_token").value_or("");
  if (c.refresh_token.empty())
    c.refresh_token = secret(host, store, account.id, "refresh_token").value_or("");
  auto ck = secret(host, store, account.id, "consumer_key");
  auto cs = secret(host, store, account.id, "consumer_secret");
  auto at = secret(host, store, account.id, "access_token");
  auto as = secret(host, store, account.id, "access_token_secret");
  if (ck && cs && at && as) c.oauth1 = OAuth1Credentials{*ck, *cs, *at, *as};
  if (!c.oauth1 && c.bearer_token.empty()) {
    std::string missing;
    for (auto [name, v] : {std::pair{"consumer_key", &ck},
                           {"consumer_secret", &cs},
                           {"access_token", &at},
                           {"access_token_secret", &as}})
      if (!*v) missing += (missing.empty() ? "" : ", ") + std::string(name);
    throw am::error(AM_UNAUTHENTICATED,
                    "X account '" + account.nickname + "' has no credentials: set " + missing +
                        " (OAuth 1.0a user context) or authorise it with OAuth 2");
  }
  return c;
}

XApi::XApi(am::job job, const am_host *host, PluginSettings settings, Account account,
           Credentials credentials)
    : job_(job),
      host_(host),
      settings_(std::move(settings)),
      account_(std::move(account)),
      credentials_(std::move(credentials)) {}

void XApi::authorise(am::http_request &request) const {
  std::erase_if(request.headers, [](auto &h) { return h.first == "Authorization"; });
  if (!credentials_.bearer_token.empty() || !credentials_.oauth1) {
    request.headers.emplace_back("Authorization", "Bearer " + credentials_.bearer_token);
    return;
  }
  // Only form bodies are signed; this plugin sends JSON and multipart, so none are.
  request.headers.emplace_back(
      "Authorization", authorization_header(request.method, request.url, *credentials_.oauth1,
                                            make_nonce(), std::to_string(now_seconds())));
}

am::task<am::http_response> XApi::send(am::http_request request) {
  authorise(request);
  am::http http(job_);
  am::http_request copy = request;
  am::http_response resp = co_await http.send(std::move(copy));
  if (resp.status == AM_OK && resp.http_status == 401 && !credentials_.bearer_token.empty() &&
      !credentials_.refresh_token.empty()) {
    // An expired OAuth 2 access token: refresh once, then repeat (a 401 changed nothing).
    co_await refresh_token();
    authorise(request);
    resp = co_await http.send(std::move(request));
  }
  co_return resp;
}

am::task<void> XApi::refresh_token() {
  const std::string client_id =
      account_.client_id.empty() ? settings_.client_id : account_.client_id;
  if (client_id.empty())
    throw am::error(AM_UNAUTHENTICATED, "X account '" + account_.nickname +
                                            "': the OAuth 2 token expired and neither the account "
                                            "nor plugins.twitter has a client_id to refresh it "
                                            "with");
  // Another run (here or on another host) may be refreshing this account at this moment: the
  // lock makes it wait, and then it finds the token that run stored.
  am::oauth_refresh lock(host_, account_.id);
  if (adopt_stored_token(lock.current_json())) co_return;
  job_.log().info("X: refreshing the OAuth 2 token of account '" + account_.nickname + "'");
  std::string form =
      "grant_type=refresh_token&refresh_token=" + percent_encode(credentials_.refresh_token);
  am::http_request req("POST", settings_.api_base + "/2/oauth2/token", "");
  req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  if (settings_.client_secret.empty()) {
    form += "&client_id=" + percent_encode(client_id);  // a public client names itself
  } else {
    // A confidential client: HTTP Basic with the form-encoded id and secret (RFC 6749 2.3.1).
    req.headers.emplace_back("Authorization",
                             "Basic " + base64(percent_encode(client_id) + ":" +
                                               percent_encode(settings_.client_secret)));
  }
  req.body = std::move(form);
  req.max_attempts = 1;  // the refresh token is single use: never send it twice
  am::http http(job_);
  am::http_response resp = co_await http.send(std::move(req));
  json::value v = resp.ok() ? parse_or_null(resp.body) : json::value();
  std::string access = json_string(v, {"access_token"});
  std::string refresh = json_string(v, {"refresh_token"});
  if (access.empty())
    throw am::error(AM_UNAUTHENTICATED,
                    "X account '" + account_.nickname + "': refreshing the OAuth 2 token failed (" +
                        (resp.status == AM_OK ? "HTTP " + std::to_string(resp.http_status) + ": " +
                                                    error_detail(resp.body)
                                              : resp.error) +
                        "); authorise the account again");
  int64_t expires_in = 0;
  if (auto *o = v.if_object())
    if (auto *e = o->if_contains("expires_in"); e && e->is_int64()) expires_in = e->as_int64();
  json::object token{
      {"provider", "twitter"},
      {"access_token", access},
      {"refresh_token", refresh.empty() ? json::value() : json::value(refresh)},
      {"token_type", json_string(v, {"token_type"})},
      {"scope", json_string(v, {"scope"})},
      {"expires_at", expires_in ? json::value(now_seconds() + expires_in) : json::value()}};
  // Durable before use (and before the lock ends): the old refresh token is dead on X's side.
  try {
    lock.end(json::serialize(token));
  } catch (const am::error &e) {
    throw am::error(AM_IO, "X account '" + account_.nickname +
                               "': could not store the refreshed token: " + e.what());
  }
  credentials_.bearer_token = access;
  credentials_.refresh_token = refresh;
}

bool XApi::adopt_stored_token(const std::string &stored_json) {
  json::value stored = parse_or_null(stored_json);
  const std::string access = json_string(stored, {"access_token"});
  const std::string refresh = json_string(stored, {"refresh_token"});
  if (!refresh.empty()) credentials_.refresh_token = refresh;
  if (access.empty() || access == credentials_.bearer_token) return false;
  job_.log().info("X: account '" + account_.nickname +
                  "' was refreshed by another run meanwhile; using its token");
  credentials_.bearer_token = access;
  return true;
}

void XApi::fail(const am::http_response &resp, const std::string &what) const {
  const std::string who = "account '" + account_.nickname + "'";
  if (resp.status != AM_OK)
    throw am::error(resp.status, "X API: " + what + " for " + who + " failed: " + resp.error);
  const std::string detail = error_detail(resp.body);
  const std::string code = "HTTP " + std::to_string(resp.http_status);
  switch (resp.http_status) {
    case 401:
      throw am::error(AM_UNAUTHENTICATED,
                      "X rejected the credentials of " + who + " (" + code +
                          "): check its consumer key/secret and access token/secret, or "
                          "authorise it again");
    case 403:
      if (detail.find("duplicate content") != std::string::npos)
        throw DuplicateContent(AM_ERROR, "X refused the post as duplicate content: " + who +
                                             " already published this exact text");
      throw am::error(AM_PERMISSION_DENIED,
                      "X refused to " + what + " for " + who + " (" + code + "): " + detail);
    case 429:
      if (resp.body.find("usage-capped") != std::string::npos)
        throw am::error(AM_QUOTA_EXCEEDED, "X usage cap reached for " + who + " (" + detail +
                                               "): no more posts until the cap resets");
      throw am::error(AM_RATE_LIMITED, "X rate limit for " + who + " (" + code + "): " + detail);
    default:
      throw am::error(resp.http_status >= 500 ? AM_UNAVAILABLE : AM_ERROR,
                      "X API: " + what + " for " + who + " failed (" + code + "): " + detail);
  }
}

am::task<PostedTweet> XApi::create_post(std::string text, std::vector<std::string> media_ids) {
  json::object body{{"text", text}};
  if (!media_ids.empty()) {
    json::array ids;
    for (auto &id : media_ids) ids.emplace_back(id);
    body["media"] = json::object{{"media_ids", std::move(ids)}};
  }
  const std::string body_text = json::serialize(body);
  for (int attempt = 0;; ++attempt) {
    am::http_request req("POST", settings_.api_base + "/2/tweets", body_text);
    req.headers = {{"Content-Type", "application/json"}};
    req.max_attempts = 1;  // 429 is waited for here; a lost answer must not be re-sent blindly
    req.total_timeout_ms = 60000;
    am::http_response resp = co_await send(std::move(req));
    // Anything but a refusal before sending may have reached X, a cancel included.
    if (resp.status != AM_OK && resp.status != AM_INVALID_ARGUMENT)
      throw OutcomeUnknown(resp.status, "X API: the answer to the post of account '" +
                                            account_.nickname + "' was lost (" + resp.error + ")");
    if (resp.status == AM_OK && resp.http_status == 429 &&
        resp.body.find("usage-capped") == std::string::npos && attempt < 5) {
      int64_t wait = 1;
      if (auto reset = resp.header("x-rate-limit-reset")) {
        try {
          wait = std::max<int64_t>(1, std::stoll(*reset) - now_seconds() + 1);
        } catch (...) {
        }
      }
      if (wait <= settings_.max_rate_limit_wait_secs) {
        job_.log().warn("X rate limit for account '" + account_.nickname + "': waiting " +
                        std::to_string(wait) + " s until x-rate-limit-reset");
        co_await job_.sleep(std::chrono::seconds(wait));
        continue;
      }
    }
    if (resp.status == AM_OK && resp.http_status >= 500)
      throw OutcomeUnknown(AM_UNAVAILABLE, "X API: the post of account '" + account_.nickname +
                                               "' got HTTP " + std::to_string(resp.http_status) +
                                               " (" + error_detail(resp.body) +
                                               "), which X also answers after posting");
    if (!resp.ok()) fail(resp, "publish a post");
    json::value v = parse_or_null(resp.body);
    PostedTweet out{json_string(v, {"data", "id"}), json_string(v, {"data", "text"})};
    if (out.id.empty())
      throw am::error(AM_ERROR,
                      "X API: the post's answer has no data.id: " + resp.body.substr(0, 200));
    co_return out;
  }
}

am::task<std::string> XApi::my_user_id() {
  am::http_request req(settings_.api_base + "/2/users/me");
  am::http_response resp = co_await send(std::move(req));
  if (!resp.ok()) fail(resp, "read the user");
  std::string id = json_string(parse_or_null(resp.body), {"data", "id"});
  if (id.empty()) throw am::error(AM_ERROR, "X API: /2/users/me answered without data.id");
  co_return id;
}

am::task<std::vector<RemotePost>> XApi::recent_posts(std::string user_id, int max_results) {
  am::http_request req(settings_.api_base + "/2/users/" + percent_encode(user_id) +
                       "/tweets?max_results=" + std::to_string(std::clamp(max_results, 5, 100)) +
                       "&tweet.fields=entities");
  am::http_response resp = co_await send(std::move(req));
  if (!resp.ok()) fail(resp, "read recent posts");
  std::vector<RemotePost> out;
  json::value v = parse_or_null(resp.body);
  if (auto *o = v.if_object())
    if (auto *data = o->if_contains("data"); data && data->is_array())
      for (auto &t : data->as_array()) {
        RemotePost post{json_string(t, {"id"}), json_string(t, {"text"}), {}};
        const json::value *urls = nullptr;
        if (auto *e = t.is_object() ? t.as_object().if_contains("entities") : nullptr)
          urls = e->is_object() ? e->as_object().if_contains("urls") : nullptr;
        if (urls && urls->is_array())
          for (auto &u : urls->as_array())
            post.links.push_back(PostLink{json_string(u, {"url"}), json_string(u, {"expanded_url"}),
                                          !json_string(u, {"media_key"}).empty()});
        out.push_back(std::move(post));
      }
  co_return out;
}

am::task<std::string> XApi::upload_video(std::string path) {
  std::error_code ec;
  const uint64_t total = std::filesystem::file_size(path, ec);
  if (ec) throw am::error(AM_NOT_FOUND, "video " + path + ": " + ec.message());
  if (total == 0) throw am::error(AM_INVALID_ARGUMENT, "video " + path + " is empty");
  const std::string base = settings_.api_base + "/2/media/upload";

  am::http_request init(
      "POST", base + "/initialize",
      json::serialize(json::object{
          {"media_type", "video/mp4"}, {"total_bytes", total}, {"media_category", "tweet_video"}}));
  init.headers = {{"Content-Type", "application/json"}};
  am::http_response resp = co_await send(std::move(init));
  if (!resp.ok()) fail(resp, "start the upload of " + path);
  const std::string media_id = json_string(parse_or_null(resp.body), {"data", "id"});
  if (media_id.empty())
    throw am::error(AM_ERROR, "X API: media initialize answered without data.id");

  const uint64_t segment = settings_.media_segment_bytes;
  for (uint64_t offset = 0, index = 0; offset < total; offset += segment, ++index) {
    const uint64_t len = std::min(segment, total - offset);
    // File reads belong on the worker pool, never on the I/O threads.
    // Named lambda and task: g++ 12 double-frees temporaries that own memory inside a
    // co_await expression.
    auto read_segment = [path, offset, len] {
      std::ifstream in(path, std::ios::binary);
      std::string out(len, '\0');
      in.seekg(static_cast<std::streamoff>(offset));
      in.read(out.data(), static_cast<std::streamsize>(len));
      if (static_cast<uint64_t>(in.gcount()) != len)
        throw am::error(AM_IO, "video " + path + ": could not read bytes " +
                                   std::to_string(offset) + ".." + std::to_string(offset + len));
      return out;
    };
    am::task<std::string> reading = job_.on_worker(std::move(read_segment));
    std::string bytes = co_await std::move(reading);
    const std::string boundary = "automuse-" + make_nonce();
    std::string body = "--" + boundary +
                       "\r\nContent-Disposition: form-data; name=\"segment_index\"\r\n\r\n" +
                       std::to_string(index) + "\r\n--" + boundary +
                       "\r\nContent-Disposition: form-data; name=\"media\"; filename=\"blob\"\r\n"
                       "Content-Type: application/octet-stream\r\n\r\n";
    body += bytes;
    body += "\r\n--" + boundary + "--\r\n";
    am::http_request append("POST", base + "/" + media_id + "/append", std::move(body));
    append.headers = {{"Content-Type", "multipart/form-data; boundary=" + boundary}};
    append.safe_to_resend_body = true;  // a segment index replaces itself
    resp = co_await send(std::move(append));
    if (!resp.ok()) fail(resp, "upload segment " + std::to_string(index) + " of " + path);
  }

  am::http_request finalize("POST", base + "/" + media_id + "/finalize");
  resp = co_await send(std::move(finalize));
  if (!resp.ok()) fail(resp, "finalize the upload of " + path);
  json::value info = parse_or_null(resp.body);
  for (int poll = 0;; ++poll) {
    const std::string state = json_string(info, {"data", "processing_info", "state"});
    if (state.empty() || state == "succeeded") break;
    if (state == "failed") {
      std::string why = json_string(info, {"data", "processing_info", "error", "message"});
      throw am::error(AM_ERROR, "X could not process the video " + path + " of account '" +
                                    account_.nickname + "': " + (why.empty() ? "failed" : why));
    }
    if (poll >= settings_.max_status_polls)
      throw am::error(AM_TIMEOUT, "X was still processing the video " + path + " after " +
                                      std::to_string(poll) + " status checks");
    int64_t after = 1;
    if (auto *o = info.if_object())
      if (auto *d = o->if_contains("data"))
        if (auto *p = d->is_object() ? d->as_object().if_contains("processing_info") : nullptr)
          if (auto *c = p->is_object() ? p->as_object().if_contains("check_after_secs") : nullptr;
              c && c->is_int64())
            after = c->as_int64();
    job_.log().info("X is processing the video (" + state + "); checking again in " +
                    std::to_string(after) + " s");
    co_await job_.sleep(std::chrono::milliseconds(std::max<int64_t>(after, 0) * 1000 + 50));
    am::http_request status(base + "?command=STATUS&media_id=" + media_id);
    resp = co_await send(std::move(status));
    if (!resp.ok()) fail(resp, "check the processing of " + path);
    info = parse_or_null(resp.body);
  }
  co_return media_id;
}

}  // namespace twitter
