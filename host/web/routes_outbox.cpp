// host/web/routes_outbox.cpp — the outbox: made videos (history records of kind "video" that
// have a file), each by its history id only: its metadata, and its video and thumbnail served
// from disk with HTTP Range (206 and Content-Range), so a browser's player can seek. The
// file's path comes from the store, never from the client.
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "web/api_context.hpp"
#include "web/api_json.hpp"
#include "web/byte_range.hpp"

namespace automuse::web {
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

constexpr uint64_t kRangeCap = 4 << 20;  // one answer to an open-ended range: 4 MiB

store::HistoryRecord video_of(ApiContext &api, const std::string &id) {
  auto h = api.store.get_history(id);
  if (!h || h->kind != "video" || !h->local_file)
    throw ApiError(http::status::not_found, "unknown_video", "no video '" + id + "' in the outbox");
  return *h;
}

json::object item_json(ApiContext &api, const store::HistoryRecord &h) {
  json::object o = history_json(h);
  const std::string base = "/api/v1/outbox/" + h.id;
  o["video_url"] = api.signed_url(base + "/video");
  o["thumbnail_url"] = api.signed_url(base + "/thumbnail");
  return o;
}

Reply show(ApiContext &api, RouteContext &c) {
  const store::HistoryRecord h = video_of(api, id_param(c, "id"));
  json::object o = item_json(api, h);
  const fs::path metadata = fs::path(*h.local_file).parent_path() / "metadata.json";
  std::ifstream in(metadata, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  o["metadata"] = in ? stored_json(ss.str()) : json::value(nullptr);
  return json_response(http::status::ok, o);
}

Reply file_reply(const RouteContext &c, const fs::path &file, const char *type) {
  std::error_code ec;
  const uint64_t size = fs::is_regular_file(file, ec) ? fs::file_size(file, ec) : 0;
  if (ec || !fs::is_regular_file(file, ec))
    throw ApiError(http::status::not_found, "file_missing",
                   "the file of this outbox item is no longer on the server");
  RangeAsk ask;
  if (auto h = c.request.find(http::field::range); h != c.request.end())
    ask = parse_range(h->value(), size, kRangeCap);
  if (ask.unsatisfiable) {
    Response r = error_response(http::status::range_not_satisfiable, "bad_range",
                                "the range starts past the file's end");
    r.set(http::field::content_range, "bytes */" + std::to_string(size));
    return r;
  }
  FileResponse r{ask.range ? http::status::partial_content : http::status::ok, 11};
  boost::beast::error_code bec;
  WindowFile window;
  window.open_window(file.c_str(), ask.range ? ask.range->first : 0,
                     ask.range ? ask.range->length() : 0, bec);
  if (!bec) r.body().reset(std::move(window), bec);
  if (bec) throw ApiError(http::status::not_found, "file_missing", "the file cannot be read");
  r.set(http::field::content_type, type);
  r.set(http::field::accept_ranges, "bytes");
  r.set(http::field::cache_control, "private, max-age=300");
  if (ask.range)
    r.set(http::field::content_range, "bytes " + std::to_string(ask.range->first) + "-" +
                                          std::to_string(ask.range->last) + "/" +
                                          std::to_string(size));
  r.prepare_payload();
  return r;
}

}  // namespace

void add_outbox_routes(Router &router, ApiContext &api) {
  router.add(http::verb::get, "/api/v1/outbox", Access::token, [&api](RouteContext &c) -> Reply {
    store::HistoryQuery q;
    q.kind = "video";
    q.limit = query_int(c, "limit", 50, 1, 500);
    json::array out;
    for (const auto &h : api.store.list_history(q))
      if (h.local_file) out.push_back(item_json(api, h));
    return json_response(http::status::ok, json::object{{"videos", std::move(out)}});
  });
  router.add(http::verb::get, "/api/v1/outbox/{id}", Access::token,
             [&api](RouteContext &c) { return show(api, c); });
  router.add(http::verb::get, "/api/v1/outbox/{id}/video", Access::signature,
             [&api](RouteContext &c) {
               return file_reply(c, *video_of(api, id_param(c, "id")).local_file, "video/mp4");
             });
  router.add(http::verb::get, "/api/v1/outbox/{id}/thumbnail", Access::signature,
             [&api](RouteContext &c) {
               const fs::path video = *video_of(api, id_param(c, "id")).local_file;
               return file_reply(c, video.parent_path() / "thumbnail.jpg", "image/jpeg");
             });
}

}  // namespace automuse::web
