// plugins/youtube/outbox_step.cpp — metadata.json, the outbox folder and the history record.
#include "outbox_step.hpp"

#include <automuse/store.h>

#include <automuse/cpp/buffer.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <set>

#include "outbox.hpp"

namespace youtube {
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

double round_ms(double seconds) {
  return std::round(seconds * 1000) / 1000;
}

json::array strings(const std::vector<std::string> &list) {
  json::array a;
  for (const auto &s : list) a.emplace_back(s);
  return a;
}

json::value words_value(const SpeechOutput &speech) {
  boost::system::error_code ec;
  json::value v = json::parse(speech.words_json, ec);
  if (!ec && v.is_array()) return v;
  json::array a;
  for (const auto &w : speech.words)
    a.push_back(json::object{{"text", w.text}, {"start", w.start}, {"end", w.end}});
  return a;
}

json::array scenes_value(const std::vector<Scene> &scenes) {
  json::array a;
  for (const auto &sc : scenes)
    a.push_back(json::object{{"prompt", sc.prompt},
                             {"provider", sc.provider},
                             {"start", round_ms(sc.start)},
                             {"duration", round_ms(sc.duration)}});
  return a;
}

json::object providers_value(const MadeShort &m, const std::string &llm_provider) {
  json::object providers;
  for (const auto &[k, v] : m.made.providers) providers[k] = v;
  std::set<std::string> image_providers;
  for (const auto &sc : m.rendered.scenes) image_providers.insert(sc.provider);
  providers["images"] = strings({image_providers.begin(), image_providers.end()});
  providers["llm"] = llm_provider.empty() ? json::value(nullptr) : json::value(llm_provider);
  providers["render"] = "automuse.render/1";
  return providers;
}

// metadata.json, all but its "steps".
json::object metadata_value(const MadeShort &m, const Account &account,
                            const std::string &llm_provider, long long now) {
  const Metadata &text = m.draft.metadata;
  json::object meta;
  meta["title"] = text.title;
  meta["description"] = text.description;
  meta["tags"] = strings(text.tags);
  meta["category_id"] = "22";
  meta["script"] = m.draft.script;
  meta["language"] = account.language;
  meta["niche"] = account.niche;
  meta["account"] = account.pseudo ? json::value(nullptr) : json::value(account.nickname);
  meta["privacy"] = account.privacy;
  meta["made_for_kids"] = account.made_for_kids;
  meta["contains_synthetic_media"] = true;
  meta["duration"] = round_ms(m.rendered.duration);
  meta["speech_duration"] = round_ms(m.voice.speech.duration);
  meta["speed"] = m.voice.speed;
  meta["canvas"] = json::object{{"width", m.workspace.width}, {"height", m.workspace.height}};
  meta["word_timings"] = words_value(m.voice.speech);
  meta["subtitles"] = m.rendered.subtitles;  // what subtitles.ass was built from
  meta["scenes"] = scenes_value(m.rendered.scenes);
  meta["providers"] = providers_value(m, llm_provider);
  meta["notes"] = strings(m.made.notes);
  meta["render"] = m.rendered.report;
  meta["created_at"] = now;
  return meta;
}

std::string outbox_base(const JobContext &ctx) {
  std::string base = ctx.settings.options.outbox_dir;
  if (base.empty()) base = ctx.settings.config.outbox_dir;
  if (base.empty()) base = (fs::path(data_dir(ctx)) / "outbox").string();
  return base;
}

// The history's record of the Short; its id, or empty (with a warning) when not recorded.
std::string add_history(const JobContext &ctx, const MadeShort &m, const Stored &stored) {
  const am::host &host = ctx.job.host_ref();
  const auto *store = host.find<am_store>(AM_STORE_SERVICE_ID);
  if (!store) {
    ctx.job.log().warn("history: this host has no store service; the video is in the outbox only");
    return {};
  }
  const Account &account = ctx.settings.account;
  json::object rec;
  rec["account_id"] = account.pseudo ? json::value(nullptr) : json::value(account.id);
  rec["kind"] = "video";
  rec["title"] = m.draft.metadata.title;
  rec["body"] = m.draft.metadata.description;
  rec["local_file"] = stored.video;
  rec["status"] = "generated";
  rec["extra"] = json::object{{"outbox", stored.folder},
                              {"duration", stored.duration},
                              {"tags", strings(m.draft.metadata.tags)}};
  // The topic is what a later fresh topic must not repeat.
  if (!m.script.topic.empty()) rec["extra"].as_object()["topic"] = m.script.topic;
  // What `publish` needs to publish it later under the key this run would use.
  if (!m.digest.empty()) rec["extra"].as_object()["digest"] = m.digest;
  const std::string text = json::serialize(rec);
  am::buffer out, err;
  if (store->add_history(host.get(), am::to_am_str(text), out.out(), err.out()) != AM_OK) {
    ctx.job.log().warn("history: could not record the video: " + err.str());
    return {};
  }
  boost::system::error_code ec;
  json::value v = json::parse(out.view(), ec);
  if (!ec && v.is_object() && v.as_object().contains("id"))
    return json::value_to<std::string>(v.as_object().at("id"));
  return {};
}

}  // namespace

am::task<Stored> store_short(JobContext &ctx, MadeShort made) {
  const long long now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
  json::object meta = metadata_value(made, ctx.settings.account, ctx.llm_provider, now);
  const std::string base = outbox_base(ctx);
  Stored stored;
  size_t s = ctx.clock.start("outbox");
  meta["steps"] = ctx.clock.to_json();  // all steps up to here; outbox's own is in the log
  const OutboxFiles files{made.rendered.video, made.rendered.thumbnail, made.rendered.ass,
                          json::serialize(meta)};
  const std::string name = job_folder_name(made.draft.metadata.title, now);
  auto move_in = ctx.job.on_worker([base, name, files] { return write_outbox(base, name, files); });
  stored.folder = co_await std::move(move_in);
  ctx.clock.finish(s, stored.folder);
  stored.video = (fs::path(stored.folder) / "video.mp4").string();
  stored.duration = round_ms(made.rendered.duration);
  stored.history_id = add_history(ctx, made, stored);
  co_return stored;
}

void update_history(const JobContext &ctx, const Stored &stored, const std::string &patch_json) {
  const am::host &host = ctx.job.host_ref();
  const am_store *store = host.find<am_store>(AM_STORE_SERVICE_ID);
  if (!store || stored.history_id.empty()) return;
  am::buffer err;
  if (store->update_history(host.get(), am::to_am_str(stored.history_id), am::to_am_str(patch_json),
                            nullptr, err.out()) != AM_OK)
    ctx.job.log().warn("history: could not update the record: " + err.str());
}

}  // namespace youtube
