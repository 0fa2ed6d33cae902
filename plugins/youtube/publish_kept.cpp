// plugins/youtube/publish_kept.cpp — publishing a kept Short: its history record found, its
// files checked, then the same upload and share steps as run's.
#include "publish_kept.hpp"

#include <automuse/store.h>

#include <automuse/cpp/buffer.hpp>
#include <boost/json.hpp>
#include <filesystem>

#include "generate.hpp"
#include "job_context.hpp"
#include "publish_step.hpp"
#include "service_calls.hpp"
#include "share_step.hpp"
#include "short_result.hpp"

namespace youtube {
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

std::string text_of(const json::object &o, const char *key) {
  const json::value *v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// The history record `id` of this plugin's videos (of the account when there is one).
json::object find_record(const JobContext &ctx, const std::string &id) {
  const am::host &host = ctx.job.host_ref();
  const auto *store = host.find<am_store>(AM_STORE_SERVICE_ID);
  if (!store) throw am::error(AM_UNSUPPORTED, "publish: this host has no store service");
  json::object query{{"kind", "video"}, {"limit", 0}};
  const Account &account = ctx.settings.account;
  if (!account.pseudo) query["account"] = account.id;
  am::buffer out, err;
  const std::string q = json::serialize(query);
  if (store->list_history(host.get(), am::to_am_str(q), out.out(), err.out()) != AM_OK)
    throw am::error(AM_IO, "publish: cannot read the history: " + err.str());
  const json::value all = json::parse(out.view());
  for (const json::value &v : all.as_array())
    if (v.is_object() && text_of(v.as_object(), "id") == id) return v.as_object();
  throw am::error(AM_NOT_FOUND,
                  "publish: no Short '" + id + "' in the history" +
                      (account.pseudo ? std::string() : " of account '" + account.nickname + "'") +
                      " (automuse-host history --plugin youtube --json)");
}

// The kept Short of record `r`: its files must still be here, and its digest known.
Stored kept_short(const json::object &r, const std::string &id, std::string &digest) {
  const std::string file = text_of(r, "local_file");
  if (file.empty())
    throw am::error(AM_NOT_FOUND, "publish: Short '" + id +
                                      "' has no video any more (it was discarded or rejected)");
  std::error_code ec;
  if (!fs::is_regular_file(file, ec))
    throw am::error(AM_NOT_FOUND,
                    "publish: the video of Short '" + id + "' is not on this host: " + file);
  const json::value *extra = r.if_contains("extra");
  const json::object empty;
  const json::object &x = extra && extra->is_object() ? extra->as_object() : empty;
  digest = text_of(x, "digest");
  if (digest.empty())
    throw am::error(AM_INVALID_ARGUMENT,
                    "publish: Short '" + id +
                        "' was made by an older version that kept no digest of it; publish it "
                        "with run instead");
  Stored s;
  s.folder = fs::path(file).parent_path().string();
  s.video = file;
  s.history_id = id;
  if (const json::value *d = x.if_contains("duration"); d && d->is_number())
    s.duration = d->to_number<double>();
  return s;
}

Metadata metadata_of(const json::object &r) {
  Metadata m;
  m.title = text_of(r, "title");
  m.description = text_of(r, "body");
  if (const json::value *x = r.if_contains("extra"); x && x->is_object())
    if (const json::value *tags = x->as_object().if_contains("tags"); tags && tags->is_array())
      for (const json::value &t : tags->as_array())
        if (t.is_string()) m.tags.emplace_back(t.as_string());
  return m;
}

}  // namespace

am::task<std::string> publish_kept(am::job job, am::action_request request) {
  const std::string config_json = config_section(job.host_ref());
  JobContext ctx(job, parse_settings(request.action, request.args_json, config_json));
  const PublishPlan plan = plan_publishing(ctx, request.action, config_json);
  ctx.have_llm = llm_available(job.host_ref());
  const std::string id = ctx.settings.options.item;
  job.log().info("youtube: publish Short " + id + " for account '" + ctx.settings.account.nickname +
                 "'");
  const json::object record = find_record(ctx, id);
  std::string digest;
  const Stored stored = kept_short(record, id, digest);
  const Metadata metadata = metadata_of(record);

  Published published;
  if (plan.to_youtube) {
    auto uploading = upload_short(ctx, plan.api, metadata, stored, digest);
    published = co_await std::move(uploading);
  }
  CrossPostShort shared_short{metadata.title, metadata.description, stored.video, published.url,
                              digest};
  auto sharing = share_short(ctx, plan.cross_posts, std::move(shared_short));
  const Shares shares = co_await std::move(sharing);
  job.log().info("youtube: published in " + format_seconds(ctx.clock.elapsed()) + ": " +
                 (published.url.empty() ? stored.folder : published.url));
  co_return short_result_json(ctx, metadata, stored, published, plan, shares);
}

}  // namespace youtube
