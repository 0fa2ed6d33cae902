// plugins/instagram/graph_api.cpp — Graph and rupload requests, rate-limit waits, and errors.
#include "graph_api.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "json_members.hpp"

namespace instagram {
namespace json = boost::json;

namespace {

std::string percent_encode(const std::string &in) {
  static const char *hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : in) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string form(const std::vector<std::pair<std::string, std::string>> &fields) {
  std::string out;
  for (const auto &[k, v] : fields) out += (out.empty() ? "" : "&") + k + "=" + percent_encode(v);
  return out;
}

json::value parse_or_null(const std::string &body) {
  json::error_code ec;
  json::value v = json::parse(body, ec);
  return ec ? json::value() : v;
}

std::string member(const json::value &v, const char *key) {
  const json::object *o = v.if_object();
  return o ? plugin_support::string_member(*o, key) : std::string();
}

bool is_rate_limit(const GraphError &e) {
  return meaning_of(e.code, e.subcode).remedy == Remedy::wait_rate;
}

}  // namespace

std::string upload_refusal_detail(const std::string &body) {
  const json::value v = parse_or_null(body);
  const json::object *o = v.if_object();
  const json::value *info = o ? o->if_contains("debug_info") : nullptr;
  if (!info || !info->is_object()) return "";
  std::string text = plugin_support::string_member(info->as_object(), "message");
  const json::value inner = parse_or_null(text);  // the message is itself JSON
  if (const json::object *io = inner.if_object())
    if (const json::value *err = io->if_contains("error"); err && err->is_object())
      return plugin_support::string_member(err->as_object(), "message");
  return text;
}

GraphApi::GraphApi(am::job job, PluginSettings settings, Account account, std::string token)
    : job_(job),
      settings_(std::move(settings)),
      account_(std::move(account)),
      token_(std::move(token)) {}

std::string GraphApi::url(const std::string &path) const {
  return settings_.graph_url + "/" + settings_.api_version + "/" + path;
}

am::task<am::http_response> GraphApi::send(am::http_request request) {
  request.headers.emplace_back("Authorization", "Bearer " + token_);
  const auto started = std::chrono::steady_clock::now();
  const auto budget = std::chrono::seconds(settings_.max_rate_limit_wait_secs);
  for (int64_t wait_ms = std::max(settings_.retry_wait_ms, 1);;
       wait_ms = std::min<int64_t>(wait_ms * 2, 300000)) {
    am::http http(job_);
    am::http_request copy = request;
    am::http_response resp = co_await http.send(std::move(copy));
    if (resp.status != AM_OK || resp.ok()) co_return resp;
    const GraphError e = parse_graph_error(resp.body);
    const auto waited = std::chrono::steady_clock::now() - started;
    if (!is_rate_limit(e) || waited + std::chrono::milliseconds(wait_ms) > budget) co_return resp;
    // A rate-limit refusal acted on nothing: the same call is safe again after a pause.
    job_.log().warn(account_.label() + ": Instagram rate limit (" + e.code_text() + "); waiting " +
                    std::to_string(wait_ms) + " ms");
    co_await job_.sleep(std::chrono::milliseconds(wait_ms));
  }
}

json::value GraphApi::answer(const am::http_response &resp, const std::string &what) const {
  if (resp.status != AM_OK)
    throw GraphFailure(
        resp.status == AM_CANCELLED ? AM_CANCELLED : AM_UNAVAILABLE,
        account_.label() + ": " + what + ": no answer from Instagram (" + resp.error + ")", {}, 0);
  if (!resp.ok()) {
    const GraphError e = parse_graph_error(resp.body);
    if (e.code == 0)
      throw GraphFailure(resp.http_status >= 500 ? AM_UNAVAILABLE : AM_ERROR,
                         account_.label() + ": " + what + ": HTTP " +
                             std::to_string(resp.http_status) + " from Instagram",
                         e, resp.http_status);
    const ErrorMeaning m = meaning_of(e.code, e.subcode);
    std::string message = explain(account_.label(), e, what);
    if (m.remedy == Remedy::login)
      message +=
          "; log in again with `automuse-host auth instagram --account " + account_.nickname + "`";
    throw GraphFailure(m.status, message, e, resp.http_status);
  }
  json::value v = parse_or_null(resp.body);
  if (!v.is_object())
    throw GraphFailure(AM_ERROR, account_.label() + ": " + what + ": the answer is not JSON", {},
                       resp.http_status);
  return v;
}

am::task<json::value> GraphApi::get_json(std::string path, std::string what) {
  am::http_request req(url(path));
  auto sending = send(std::move(req));
  am::http_response resp = co_await std::move(sending);
  co_return answer(resp, what);
}

am::task<Me> GraphApi::me() {
  auto reading = get_json("me?fields=user_id,username", "reading the account");
  const json::value v = co_await std::move(reading);
  Me out{member(v, "user_id"), member(v, "username")};
  if (out.user_id.empty()) out.user_id = member(v, "id");
  if (out.user_id.empty())
    throw am::error(AM_ERROR, account_.label() + ": Instagram named no user id for the token");
  co_return out;
}

am::task<PublishingLimit> GraphApi::publishing_limit(std::string user_id) {
  auto reading =
      get_json(percent_encode(user_id) + "/content_publishing_limit?fields=quota_usage,config",
               "reading the publishing limit");
  const json::value v = co_await std::move(reading);
  PublishingLimit out;
  const json::value *data = v.as_object().if_contains("data");
  if (!data || !data->is_array() || data->as_array().empty() || !data->as_array()[0].is_object())
    co_return out;
  const json::object &entry = data->as_array()[0].as_object();
  out.used = static_cast<int>(plugin_support::int_member(entry, "quota_usage", 0));
  if (const json::value *c = entry.if_contains("config"); c && c->is_object()) {
    out.total = static_cast<int>(plugin_support::int_member(c->as_object(), "quota_total", 0));
    out.known = out.total > 0;
  }
  co_return out;
}

am::task<Container> GraphApi::create_container(std::string user_id, std::string caption,
                                               std::string video_url) {
  std::vector<std::pair<std::string, std::string>> fields = {{"media_type", "REELS"}};
  if (video_url.empty())
    fields.emplace_back("upload_type", "resumable");
  else
    fields.emplace_back("video_url", video_url);
  if (!caption.empty()) fields.emplace_back("caption", caption);
  fields.emplace_back("share_to_feed", account_.share_to_feed ? "true" : "false");
  am::http_request req("POST", url(percent_encode(user_id) + "/media"), form(fields));
  req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  req.safe_to_resend_body = true;  // a second container publishes nothing by itself
  auto sending = send(std::move(req));
  am::http_response resp = co_await std::move(sending);
  const json::value v = answer(resp, "creating the Reel's container");
  Container out{member(v, "id"), member(v, "uri")};
  if (out.id.empty()) throw am::error(AM_ERROR, account_.label() + ": the container has no id");
  if (video_url.empty() && out.upload_uri.empty())
    throw am::error(AM_ERROR, account_.label() + ": the resumable container has no upload uri");
  co_return out;
}

am::task<void> GraphApi::upload(std::string uri, std::string path) {
  std::error_code ec;
  const uint64_t size = std::filesystem::file_size(path, ec);
  if (ec)
    throw am::error(AM_NOT_FOUND, account_.label() + ": the video " + path + ": " + ec.message());
  am::http_request req("POST", uri);
  req.headers = {{"Authorization", "OAuth " + token_},  // rupload's scheme, not Bearer
                 {"offset", "0"},
                 {"file_size", std::to_string(size)},
                 {"Content-Type", "application/octet-stream"}};
  req.body_file = path;
  req.max_attempts = 3;
  req.safe_to_resend_body = true;  // offset 0 again restarts the upload: nothing is doubled
  req.total_timeout_ms = 30 * 60 * 1000;
  am::http http(job_);
  auto sending = http.send(std::move(req));
  am::http_response resp = co_await std::move(sending);
  if (resp.ok()) co_return;
  if (resp.status != AM_OK)
    throw am::error(
        resp.status == AM_CANCELLED ? AM_CANCELLED : AM_UNAVAILABLE,
        account_.label() + ": uploading " + path + " to Instagram failed: " + resp.error);
  const std::string detail = upload_refusal_detail(resp.body);
  throw UploadRefused(resp.http_status >= 500 ? AM_UNAVAILABLE : AM_PERMISSION_DENIED,
                      account_.label() + ": Instagram refused the upload of " + path + " (HTTP " +
                          std::to_string(resp.http_status) + (detail.empty() ? "" : ": " + detail) +
                          ")",
                      detail);
}

am::task<ContainerStatus> GraphApi::container_status(std::string container_id) {
  auto reading = get_json(percent_encode(container_id) + "?fields=status_code,status",
                          "reading container " + container_id);
  const json::value v = co_await std::move(reading);
  co_return ContainerStatus{member(v, "status_code"), member(v, "status")};
}

am::task<std::string> GraphApi::publish(std::string user_id, std::string container_id) {
  am::http_request req("POST", url(percent_encode(user_id) + "/media_publish"),
                       form({{"creation_id", container_id}}));
  req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  req.max_attempts = 1;  // a lost answer is settled by reading the container, never re-sent
  req.total_timeout_ms = 120000;
  auto sending = send(std::move(req));
  am::http_response resp = co_await std::move(sending);
  const json::value v = answer(resp, "publishing container " + container_id);
  const std::string id = member(v, "id");
  if (id.empty()) throw am::error(AM_ERROR, account_.label() + ": media_publish answered no id");
  co_return id;
}

am::task<std::vector<MediaItem>> GraphApi::recent_media(std::string user_id) {
  auto reading = get_json(percent_encode(user_id) + "/media?fields=id,timestamp,caption",
                          "reading the account's media");
  const json::value v = co_await std::move(reading);
  std::vector<MediaItem> out;
  if (const json::value *data = v.as_object().if_contains("data"); data && data->is_array())
    for (const json::value &m : data->as_array())
      out.push_back({member(m, "id"), member(m, "caption"), member(m, "timestamp")});
  co_return out;
}

am::task<std::string> GraphApi::permalink(std::string media_id) {
  auto reading =
      get_json(percent_encode(media_id) + "?fields=permalink", "reading media " + media_id);
  const json::value v = co_await std::move(reading);
  co_return member(v, "permalink");
}

}  // namespace instagram
