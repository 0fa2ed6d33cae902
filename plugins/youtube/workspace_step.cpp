// plugins/youtube/workspace_step.cpp — canvas, work folder, subtitle style and music.
#include "workspace_step.hpp"

#include "music.hpp"

namespace youtube {
namespace fs = std::filesystem;

namespace {

void canvas_size(const Options &o, int &w, int &h) {
  if (o.aspect == "16:9")
    w = 1920, h = 1080;
  else if (o.aspect == "1:1")
    w = 1080, h = 1080;
  else
    w = 1080, h = 1920;
  if (o.width > 0) w = o.width, h = o.height;
}

// The music folder's setting as the user wrote it, for a message about it.
std::string music_field(const ActionSettings &settings) {
  return settings.account.pseudo || settings.config.music_dir == settings.account.music_dir
             ? "automuse.json plugins.youtube.music_dir"
             : "account field 'music_dir'";
}

}  // namespace

am::task<Workspace> prepare_workspace(JobContext &ctx, const std::string &script,
                                      Provenance &made) {
  const Account &account = ctx.settings.account;
  Workspace ws;
  canvas_size(ctx.settings.options, ws.width, ws.height);
  const std::string key =
      inputs_key({ctx.job_id, script, account.language, account.voice, std::to_string(ws.width),
                  std::to_string(ws.height), account.image_providers, account.music_dir,
                  account.subtitle_style});
  ws.style = parse_subtitle_style(account.subtitle_style);
  ws.work = fs::path(data_dir(ctx)) / "work" / key;
  const fs::path work = ws.work;
  const std::string music_dir = account.music_dir;
  const std::string field = music_field(ctx.settings);
  auto pick = ctx.job.on_worker([work, music_dir, field, key] {
    std::error_code ec;
    fs::create_directories(work, ec);
    if (ec) throw am::error(AM_IO, "cannot create " + work.string() + ": " + ec.message());
    return pick_music(music_dir, field, std::stoull(key.substr(0, 8), nullptr, 16));
  });
  ws.music = co_await std::move(pick);
  if (ws.music.empty())
    made.notes.push_back(
        "no music: no music folder configured (account field music_dir or "
        "plugins.youtube.music_dir)");
  made.providers["music"] = ws.music.empty() ? "none" : ws.music;
  co_return ws;
}

}  // namespace youtube
