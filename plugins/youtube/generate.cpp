// plugins/youtube/generate.cpp — the Short pipeline. Everything here runs on the job's
// executor (no locks needed); file work goes to the worker pool; the speech and images
// services run concurrently through am::when_all.
#include "generate.hpp"

#include <automuse/cache.h>
#include <automuse/config.h>
#include <automuse/store.h>

#include <automuse/cpp/buffer.hpp>
#include <boost/json.hpp>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "cross_post.hpp"
#include "llm_steps.hpp"
#include "metadata_text.hpp"
#include "music.hpp"
#include "near_duplicate.hpp"
#include "outbox.hpp"
#include "publication.hpp"
#include "recent_history.hpp"
#include "scene_plan.hpp"
#include "script_text.hpp"
#include "service_calls.hpp"
#include "settings.hpp"
#include "step_clock.hpp"
#include "subtitle_style.hpp"
#include "timeline_json.hpp"
#include "youtube_api.hpp"

namespace youtube {
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

constexpr double kMaxSpeedUp = 1.25;
constexpr int kDefaultRate = 175;     // espeak-ng words per minute
constexpr double kTailSeconds = 0.6;  // picture and music after the last word

std::string format_seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", s);
  return buf;
}

// FNV-1a: names the job's work folder after its inputs (not a security use).
uint64_t fnv1a(const std::vector<std::string> &parts) {
  uint64_t h = 1469598103934665603ull;
  for (const auto &p : parts) {
    for (unsigned char c : p) h = (h ^ c) * 1099511628211ull;
    h = (h ^ 0xFF) * 1099511628211ull;  // separator
  }
  return h;
}

std::string hex(uint64_t v) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string read_script_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw am::error(errno == ENOENT ? AM_NOT_FOUND : AM_IO,
                    "cannot read script file '" + path + "': " + std::strerror(errno));
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw am::error(AM_IO, "cannot read script file '" + path + "'");
  std::string text = normalise_script(ss.str());
  if (text.empty()) throw am::error(AM_INVALID_ARGUMENT, "script file '" + path + "' is empty");
  return text;
}

std::string config_section(const am::host &host) {
  const auto *cfg = host.find<am_config>(AM_CONFIG_SERVICE_ID);
  if (!cfg) return "{}";
  am::buffer out;
  if (cfg->plugin_section(host.get(), out.out()) != AM_OK) return "{}";
  return out.str();
}

std::string data_dir(const am::host &host) {
  const auto &cfg = host.service<am_config>(AM_CONFIG_SERVICE_ID);
  am::buffer out;
  am::check(cfg.data_dir(host.get(), out.out()), "config: no data folder for the plugin");
  return out.str();
}

void canvas_size(const Options &o, int &w, int &h) {
  if (o.aspect == "16:9")
    w = 1920, h = 1080;
  else if (o.aspect == "1:1")
    w = 1080, h = 1080;
  else
    w = 1080, h = 1920;
  if (o.width > 0) w = o.width, h = o.height;
}

// Everything the steps share; lives in the pipeline coroutine's frame.
struct Run {
  Run(am::job j, ActionSettings s) : job(j), settings(std::move(s)), clock(j.log()) {}
  am::job job;
  ActionSettings settings;
  StepClock clock;
  std::string script;
  std::string title;
  std::vector<std::string> tags;
  std::string description;
  std::vector<Scene> scenes;
  int width = 1080, height = 1920;
  fs::path work;
  std::string music;
  std::vector<std::string> notes;
  std::map<std::string, std::string> providers;
  std::string topic;
  std::string job_id;  // names the job's cached steps
  const am_cache *cache = nullptr;
  bool have_llm = false;
  std::string llm_provider;            // who answered, for metadata.json
  std::vector<std::string> fallbacks;  // offline stand-ins used for LLM steps
  std::string fallback_reason;
};

constexpr int64_t kStepTtlMs = 7LL * 24 * 3600 * 1000;  // an unfinished job resumes for a week

std::string cache_get(const Run &run, const std::string &key) {
  if (!run.cache) return {};
  am::buffer out;
  if (run.cache->get(run.job.host_ref().get(), am::to_am_str(key), out.out()) != AM_OK) return {};
  return out.str();
}

void cache_put(const Run &run, const std::string &key, const std::string &value) {
  if (run.cache)
    run.cache->put(run.job.host_ref().get(), am::to_am_str(key), am::to_am_str(value), kStepTtlMs);
}

// One LLM call as a step of the run, timed and its provider noted. Returns the answer's text,
// or its JSON for a structured step.
am::task<std::string> llm_step(Run &run, std::string step, std::string messages, std::string shape,
                               double temperature) {
  size_t s = run.clock.start(step);
  try {
    LlmOutput out = co_await chat(run.job, messages, shape, run.settings.account.id, temperature);
    std::string value = shape.empty() ? out.content : out.json;
    run.llm_provider = out.provider + (out.model.empty() ? "" : "/" + out.model);
    run.clock.finish(s, run.llm_provider + (out.from_cache ? ", from the LLM cache" : ""));
    co_return value;
  } catch (const am::error &e) {
    // Not an error: the caller falls back (a warning naming the stand-in) or fails the run.
    run.clock.finish(s, std::string("failed: ") + e.what());
    throw;
  }
}

// One LLM step, cached by the job and its inputs: a re-run of an unfinished job does not pay
// for it again.
am::task<std::string> cached_chat(Run &run, std::string step, std::string messages,
                                  std::string shape, double temperature) {
  const std::string key = "step/" + run.job_id + "/" + step + "/" + hex(fnv1a({messages, shape}));
  if (std::string hit = cache_get(run, key); !hit.empty()) {
    run.clock.finish(run.clock.start(step), "from the job's cache");
    co_return hit;
  }
  auto ask = llm_step(run, step, std::move(messages), std::move(shape), temperature);
  std::string value = co_await std::move(ask);
  cache_put(run, key, value);
  co_return value;
}

constexpr int kRecentVideos = 20;  // the account's videos a new topic must not repeat
constexpr int kTopicAsks = 3;      // topics the LLM may propose before the run fails

// A topic unlike the account's recent videos: their topics and titles go into the prompt, and
// an answer that nearly repeats one is sent back. Only the accepted topic is a step of the job:
// a resumed job keeps it (its own video may be in the history by then), and a job that failed
// for want of a new topic asks afresh when it is taken up again.
am::task<std::string> fresh_topic(Run &run) {
  const std::string key = "step/" + run.job_id + "/accepted-topic";
  if (std::string hit = cache_get(run, key); !hit.empty()) {
    run.clock.finish(run.clock.start("topic"), "from the job's cache");
    co_return hit;
  }
  const Account &account = run.settings.account;
  const std::vector<std::string> recent = fresh_content::recent_texts(
      run.job.host_ref(),
      {account.pseudo ? "" : account.id, "video", "", {"extra.topic", "title"}, kRecentVideos});
  std::string messages = topic_messages(account, recent);
  for (int ask = 1;; ++ask) {
    const std::string step = ask == 1 ? "topic" : "topic-" + std::to_string(ask);
    auto call = llm_step(run, step, messages, "", 0.9);
    const std::string topic = clean_topic(co_await std::move(call));
    if (topic.empty()) throw am::error(AM_ERROR, "the LLM answered no topic");
    const std::string *repeated = fresh_content::nearly_repeats(topic, recent);
    if (!repeated) {
      cache_put(run, key, topic);
      co_return topic;
    }
    if (ask >= kTopicAsks)
      throw am::error(
          AM_ERROR, "the LLM proposed " + std::to_string(ask) + " topics in a row for account '" +
                        account.nickname + "' that repeat its recent videos (the last, \"" + topic +
                        "\", is too close to \"" + *repeated + "\"); choose one with --topic");
    run.job.log().warn("youtube: the topic \"" + topic + "\" repeats a recent video of '" +
                       account.nickname + "'; asking for another");
    messages =
        continued_messages(messages, topic, fresh_content::repeat_refusal(*repeated, "videos"));
  }
}

// The offline plan every run starts from: scenes with prompts from the script's sentences,
// and title, description and tags from the script. LLM steps replace parts of it.
void plan_offline(Run &run) {
  const Options &options = run.settings.options;
  run.fallbacks.clear();
  run.scenes = plan_scenes(split_sentences(run.script));
  if (run.scenes.empty()) throw am::error(AM_INVALID_ARGUMENT, "the script has no sentences");
  run.title = clamp_title(options.title);
  run.providers["title"] = "option";
  if (run.title.empty()) {
    run.title = title_from_script(run.script);
    run.providers["title"] = "script (first sentence)";
  }
  run.tags = key_words(run.script);
  run.description = description_from(run.script, run.tags);
  run.providers["description"] = "script";
  run.providers["tags"] = "script key words";
  run.providers["image_prompts"] = "script sentences";
}

void use_fallback(Run &run, const std::string &what, const std::string &reason) {
  run.fallbacks.push_back(what);
  if (run.fallback_reason.empty()) run.fallback_reason = reason;
}

// Title, description and tags: from the LLM when there is one, else from the script.
am::task<void> make_metadata(Run &run) {
  const bool title_given = !run.settings.options.title.empty();
  if (!run.have_llm) {
    size_t s = run.clock.start("metadata");
    run.clock.finish(s, "offline: from the script");
    use_fallback(run, "description from the script", "no LLM service");
    use_fallback(run, "tags from its key words", "no LLM service");
    if (!title_given) use_fallback(run, "title from its first sentence", "no LLM service");
    co_return;
  }
  try {
    const std::string topic = run.topic.empty() ? run.title : run.topic;
    auto call =
        cached_chat(run, "metadata", metadata_messages(run.settings.account, topic, run.script),
                    metadata_shape(), 0.5);
    const std::string answer = co_await std::move(call);
    LlmMetadata m = parse_metadata(answer);
    if (!title_given) {
      run.title = m.title;
      run.providers["title"] = "llm";
    }
    run.description = m.description;
    run.providers["description"] = "llm";
    if (!m.tags.empty()) {
      run.tags = m.tags;
      run.providers["tags"] = "llm";
    }
  } catch (const am::error &e) {
    if (e.status() == AM_CANCELLED) throw;
    run.job.log().warn(std::string("youtube: metadata from the script instead: ") + e.what());
    use_fallback(run, "title, description and tags from the script", e.what());
  }
}

am::task<SpeechOutput> speak(Run &run, int rate, std::string file, std::string step) {
  size_t s = run.clock.start(step);
  try {
    SpeechInput in;
    in.text = run.script;
    in.language = run.settings.account.language;
    in.voice = run.settings.account.voice;
    in.rate = rate;
    in.output_path = (run.work / file).string();
    SpeechOutput out = co_await synthesize(run.job, std::move(in));
    run.clock.finish(s, format_seconds(out.duration) + " of speech, " +
                            std::to_string(out.words.size()) + " words" +
                            (out.from_cache ? ", from cache" : ""));
    co_return out;
  } catch (const am::error &e) {
    std::string msg = e.what();
    if (e.status() == AM_INVALID_ARGUMENT && !run.settings.account.voice.empty() &&
        msg.find("voice") != std::string::npos)
      msg = "account field 'voice' ('" + run.settings.account.voice + "'): " + msg;
    run.clock.fail(s, msg);
    throw am::error(e.status(), msg);
  }
}

am::task<ImageOutput> one_image(Run &run, size_t index) {
  ImageInput in;
  in.prompt = run.scenes[index].prompt;
  in.width = run.width;
  in.height = run.height;
  in.providers = run.settings.account.image_providers;
  co_return co_await generate_image(run.job, std::move(in));
}

am::task<void> make_images(Run &run) {
  if (run.have_llm) {
    try {
      std::vector<std::string> texts;
      for (const auto &sc : run.scenes)
        texts.push_back(run.script.substr(sc.begin, sc.end - sc.begin));
      auto call = cached_chat(run, "image_prompts", prompts_messages(run.settings.account, texts),
                              prompts_shape(texts.size()), 0.7);
      const std::string answer = co_await std::move(call);
      auto prompts = parse_prompts(answer, texts.size());
      for (size_t i = 0; i < prompts.size(); ++i) run.scenes[i].prompt = prompts[i];
      run.providers["image_prompts"] = "llm";
    } catch (const am::error &e) {
      if (e.status() == AM_CANCELLED) throw;
      run.job.log().warn(std::string("youtube: image prompts from the script instead: ") +
                         e.what());
      use_fallback(run, "image prompts from the script's sentences", e.what());
    }
  } else {
    use_fallback(run, "image prompts from the script's sentences", "no LLM service");
  }
  size_t s = run.clock.start("images");
  try {
    std::vector<am::task<ImageOutput>> tasks;
    for (size_t i = 0; i < run.scenes.size(); ++i) tasks.push_back(one_image(run, i));
    auto all = am::when_all(std::move(tasks));
    auto images = co_await std::move(all);
    size_t cached = 0;
    for (size_t i = 0; i < images.size(); ++i) {
      run.scenes[i].image = images[i].path;
      run.scenes[i].provider = images[i].provider;
      cached += images[i].from_cache;
    }
    run.clock.finish(s, std::to_string(images.size()) + " images" +
                            (cached ? ", " + std::to_string(cached) + " from cache" : ""));
  } catch (const am::error &e) {
    run.clock.fail(s, e.what());
    throw;
  }
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

}  // namespace

am::task<std::string> run_pipeline(am::job job, am::action_request request) {
  const am::host &host = job.host_ref();
  Run run(job, parse_settings(request.action, request.args_json, config_section(host)));
  const Account &account = run.settings.account;
  const Options &options = run.settings.options;
  const bool to_youtube = request.action == "run" && options.publish == "youtube";
  const std::string config_json = config_section(host);
  const ApiConfig api = parse_api_config(config_json);
  if (to_youtube && account.pseudo)
    throw am::error(AM_INVALID_ARGUMENT,
                    "publishing to YouTube needs an account: pass --account NAME (see "
                    "`automuse-host accounts add --plugin youtube`), or --publish outbox");
  std::vector<CrossPostTarget> cross_targets;
  for (const auto &spec : options.also_publish)
    cross_targets.push_back(parse_cross_post_target(spec));
  // Before any work: a missing publisher plugin is the user's to fix, not a surprise after the
  // render.
  check_cross_post_targets(host, cross_targets, to_youtube);
  job.log().info("youtube: " + request.action + " for account '" + account.nickname +
                 "' (niche: " + account.niche + ", language: " + account.language + ")");

  run.cache = host.find<am_cache>(AM_CACHE_SERVICE_ID);
  run.have_llm = llm_available(host);

  // 1. The script: from the file, or written by the LLM (after a topic, unless given).
  std::string pending_key;
  if (!options.script_file.empty()) {
    size_t s = run.clock.start("script");
    try {
      const std::string path = options.script_file;
      auto read = job.on_worker([path] { return read_script_file(path); });
      run.script = co_await std::move(read);
      run.clock.finish(s, "read from " + path);
    } catch (const am::error &e) {
      run.clock.fail(s, e.what());
      throw;
    }
    run.providers["script"] = "file";
    run.job_id = hex(fnv1a({"file", run.script, account.id}));
  } else {
    if (!run.have_llm)
      throw am::error(
          AM_UNSUPPORTED,
          "no script: pass --script FILE, or configure an LLM (this host offers no "
          "LLM service, automuse.llm/1, to write one" +
              std::string(options.topic.empty() ? "" : " about '" + options.topic + "'") + ")");
    // An unfinished job for the same inputs is resumed under its id, so every step it had
    // already paid for comes from the cache; a finished one clears the marker.
    pending_key = "pending/" + (account.id.empty() ? std::string("default") : account.id) + "/" +
                  hex(fnv1a({options.topic, account.niche, account.language,
                             std::to_string(options.sentences)}));
    run.job_id = cache_get(run, pending_key);
    if (run.job_id.empty()) {
      run.job_id =
          hex(fnv1a({pending_key,
                     std::to_string(std::chrono::system_clock::now().time_since_epoch().count())}));
      cache_put(run, pending_key, run.job_id);
    } else {
      job.log().info("youtube: resuming the unfinished job " + run.job_id);
    }
    run.topic = options.topic;
    if (run.topic.empty()) {
      auto topic = fresh_topic(run);
      run.topic = co_await std::move(topic);
      run.providers["topic"] = "llm";
    }
    auto call =
        cached_chat(run, "script", script_messages(account, run.topic, options.sentences), "", 0.7);
    run.script = clean_script(co_await std::move(call));
    if (run.script.empty())
      throw am::error(AM_ERROR,
                      "the LLM's script was empty once markdown and stage directions were removed");
    run.providers["script"] = "llm";
  }

  canvas_size(options, run.width, run.height);
  const std::string key =
      hex(fnv1a({run.job_id, run.script, account.language, account.voice, std::to_string(run.width),
                 std::to_string(run.height), account.image_providers, account.music_dir,
                 account.subtitle_style}));
  const SubtitleStyle style = parse_subtitle_style(account.subtitle_style);
  run.work = fs::path(data_dir(host)) / "work" / key;
  {
    const fs::path work = run.work;
    const std::string music_dir = account.music_dir;
    const std::string field = account.pseudo || run.settings.config.music_dir == music_dir
                                  ? "automuse.json plugins.youtube.music_dir"
                                  : "account field 'music_dir'";
    auto pick = job.on_worker([work, music_dir, field, key] {
      std::error_code ec;
      fs::create_directories(work, ec);
      if (ec) throw am::error(AM_IO, "cannot create " + work.string() + ": " + ec.message());
      return pick_music(music_dir, field, std::stoull(key.substr(0, 8), nullptr, 16));
    });
    run.music = co_await std::move(pick);
    if (run.music.empty())
      run.notes.push_back(
          "no music: no music folder configured (account field music_dir or "
          "plugins.youtube.music_dir)");
    run.providers["music"] = run.music.empty() ? "none" : run.music;
  }

  // 2-3. Metadata, pictures and speech at the same time. An LLM-written script whose speech
  // runs too long goes back to the LLM with its measured duration (twice at most).
  const double max = account.max_duration;
  SpeechOutput speech;
  for (int attempt = 0;; ++attempt) {
    plan_offline(run);
    auto all =
        am::when_all(speak(run, 0, "voice.wav", "speech"), make_images(run), make_metadata(run));
    auto [spoken, images_done, metadata_done] = co_await std::move(all);
    (void)images_done, (void)metadata_done;
    speech = std::move(spoken);
    if (speech.duration <= max || run.providers["script"] != "llm" || attempt >= 2) break;
    job.log().warn("youtube: the LLM's script runs " + format_seconds(speech.duration) + ", over " +
                   format_seconds(max) + ": asking for a shorter one");
    run.notes.push_back("the LLM's script ran " + format_seconds(speech.duration) +
                        " and was sent back to be shortened");
    auto call = cached_chat(run, "shorten-" + std::to_string(attempt),
                            shorten_messages(account, run.script, speech.duration, max), "", 0.5);
    run.script = clean_script(co_await std::move(call));
    if (run.script.empty()) throw am::error(AM_ERROR, "the LLM's shortened script was empty");
  }
  if (!run.fallbacks.empty()) {
    std::string list;
    for (const auto &f : run.fallbacks) list += (list.empty() ? "" : ", ") + f;
    run.notes.push_back("offline fallbacks used (" + run.fallback_reason + "): " + list);
  }

  // 4. A Short stays a Short.
  double speed = 1.0;
  if (speech.duration > max) {
    const double need = speech.duration / max;
    if (!options.speed_up)
      throw am::error(AM_INVALID_ARGUMENT,
                      "the script's speech runs " + format_seconds(speech.duration) +
                          ", longer than the maximum of " + format_seconds(max) +
                          ": shorten the script, or pass --speed-up to let the voice speak up "
                          "to 1.25x faster");
    if (need > kMaxSpeedUp)
      throw am::error(AM_INVALID_ARGUMENT,
                      "the script's speech runs " + format_seconds(speech.duration) +
                          ", longer than the maximum of " + format_seconds(max) +
                          " even with --speed-up: fitting it needs " +
                          std::to_string(need).substr(0, 4) +
                          "x, more than the 1.25x allowed; shorten the script");
    speed = std::min(kMaxSpeedUp, need * 1.03);
    const int rate = static_cast<int>(std::ceil(kDefaultRate * speed));
    auto again = speak(run, rate, "voice-" + std::to_string(rate) + ".wav", "speech (faster)");
    speech = co_await std::move(again);
    if (speech.duration > max)
      throw am::error(AM_INVALID_ARGUMENT,
                      "the script's speech still runs " + format_seconds(speech.duration) + " at " +
                          std::to_string(rate) + " words per minute, over the maximum of " +
                          format_seconds(max) + "; shorten the script");
    run.notes.push_back("voice sped up " + std::to_string(speed).substr(0, 4) +
                        "x to fit the maximum duration");
  }
  run.providers["speech"] = speech.provider;
  run.providers["voice"] =
      account.voice.empty() ? "default for " + account.language : account.voice;

  // 5. Scenes follow the spoken sentences; subtitles follow the words.
  const double total = speech.duration + kTailSeconds;
  std::vector<TimedWord> timed;
  std::vector<Word> words;
  for (const auto &w : speech.words) {
    timed.push_back(TimedWord{Word{w.text, w.start, w.end}, static_cast<size_t>(w.begin)});
    words.push_back(Word{w.text, w.start, w.end});
  }
  time_scenes(run.scenes, timed, total);
  // The renderer builds the ASS from the words and style, burns it in and writes the same
  // script to `ass` for the outbox: one builder, so the file is exactly what the video shows.
  const fs::path ass = run.work / "subtitles.ass";
  json::object subtitles;
  {
    size_t s = run.clock.start("subtitles");
    subtitles = timeline_subtitles(words, style, run.width, run.height);
    run.clock.finish(s, std::to_string(subtitles["words"].as_array().size()) + " words, safe area");
  }

  // 6. Render.
  TimelineInput tl;
  tl.width = run.width;
  tl.height = run.height;
  tl.scenes = run.scenes;
  tl.duration = total;
  tl.voice_wav = speech.audio_path;
  tl.music = run.music;
  tl.subtitles = subtitles;
  tl.write_ass = ass.string();
  tl.output_mp4 = (run.work / "video.mp4").string();
  tl.thumbnail = (run.work / "thumbnail.jpg").string();
  tl.thumbnail_time = std::min(1.5, total / 2);
  std::string render_result;
  {
    size_t s = run.clock.start("render");
    try {
      int next_report = 25;
      am::logger log = job.log();
      std::function<void(double, double)> progress = [&next_report, log](double f, double fps) {
        if (f * 100 >= next_report) {
          char buf[80];
          std::snprintf(buf, sizeof buf, "render: %d%% (%.0f frames/s)", next_report, fps);
          log.info(buf);
          next_report += 25;
        }
      };
      auto call = render(job, timeline_json(tl), std::move(progress));
      render_result = co_await std::move(call);
      run.clock.finish(s, std::to_string(run.width) + "x" + std::to_string(run.height));
    } catch (const am::error &e) {
      run.clock.fail(s, e.what());
      throw;
    }
  }
  json::value rendered = json::parse(render_result);
  const double video_duration = rendered.is_object() && rendered.as_object().contains("duration")
                                    ? rendered.as_object().at("duration").to_number<double>()
                                    : total;

  // 7. Outbox: video, thumbnail, subtitles and metadata, in place all at once.
  std::set<std::string> image_providers;
  for (const auto &sc : run.scenes) image_providers.insert(sc.provider);
  json::object meta;
  meta["title"] = run.title;
  meta["description"] = run.description;
  json::array tags;
  for (const auto &t : run.tags) tags.emplace_back(t);
  meta["tags"] = tags;
  meta["category_id"] = "22";
  meta["script"] = run.script;
  meta["language"] = account.language;
  meta["niche"] = account.niche;
  meta["account"] = account.pseudo ? json::value(nullptr) : json::value(account.nickname);
  meta["privacy"] = account.privacy;
  meta["made_for_kids"] = account.made_for_kids;
  meta["contains_synthetic_media"] = true;
  meta["duration"] = std::round(video_duration * 1000) / 1000;
  meta["speech_duration"] = std::round(speech.duration * 1000) / 1000;
  meta["speed"] = speed;
  meta["canvas"] = json::object{{"width", run.width}, {"height", run.height}};
  meta["word_timings"] = words_value(speech);
  meta["subtitles"] = subtitles;  // what subtitles.ass was built from (docs/timeline.md)
  json::array scenes;
  for (const auto &sc : run.scenes)
    scenes.push_back(json::object{{"prompt", sc.prompt},
                                  {"provider", sc.provider},
                                  {"start", std::round(sc.start * 1000) / 1000},
                                  {"duration", std::round(sc.duration * 1000) / 1000}});
  meta["scenes"] = scenes;
  json::object providers;
  for (const auto &[k, v] : run.providers) providers[k] = v;
  json::array imgs;
  for (const auto &p : image_providers) imgs.emplace_back(p);
  providers["images"] = imgs;
  providers["llm"] =
      run.llm_provider.empty() ? json::value(nullptr) : json::value(run.llm_provider);
  providers["render"] = "automuse.render/1";
  meta["providers"] = providers;
  json::array notes;
  for (const auto &n : run.notes) notes.emplace_back(n);
  meta["notes"] = notes;
  meta["render"] = rendered;
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  meta["created_at"] = now;

  std::string outbox_base = options.outbox_dir;
  if (outbox_base.empty()) outbox_base = run.settings.config.outbox_dir;
  if (outbox_base.empty()) outbox_base = (fs::path(data_dir(host)) / "outbox").string();
  std::string folder;
  {
    size_t s = run.clock.start("outbox");
    meta["steps"] = run.clock.to_json();  // all steps up to here; outbox's own is in the log
    OutboxFiles files{tl.output_mp4, tl.thumbnail, ass.string(), json::serialize(meta)};
    const std::string name = job_folder_name(run.title, now);
    auto move_in = job.on_worker(
        [outbox_base, name, files] { return write_outbox(outbox_base, name, files); });
    folder = co_await std::move(move_in);
    run.clock.finish(s, folder);
  }

  // 8. History.
  std::string history_id;
  if (const auto *store = host.find<am_store>(AM_STORE_SERVICE_ID)) {
    json::object rec;
    rec["account_id"] = account.pseudo ? json::value(nullptr) : json::value(account.id);
    rec["kind"] = "video";
    rec["title"] = run.title;
    rec["body"] = run.description;
    rec["local_file"] = (fs::path(folder) / "video.mp4").string();
    rec["status"] = "generated";
    rec["extra"] = json::object{{"outbox", folder}, {"duration", meta["duration"]}, {"tags", tags}};
    if (!run.topic.empty()) rec["extra"].as_object()["topic"] = run.topic;  // for fresh_topic
    const std::string text = json::serialize(rec);
    am::buffer out, err;
    if (store->add_history(host.get(), am::to_am_str(text), out.out(), err.out()) == AM_OK) {
      boost::system::error_code ec;
      json::value v = json::parse(out.view(), ec);
      if (!ec && v.is_object() && v.as_object().contains("id"))
        history_id = json::value_to<std::string>(v.as_object().at("id"));
    } else {
      job.log().warn("history: could not record the video: " + err.str());
    }
  } else {
    job.log().warn("history: this host has no store service; the video is in the outbox only");
  }

  // 9. Publish: the resumable upload, exactly once (publication.hpp), then the video's id and
  // URL into history.
  std::vector<std::string> prompts;
  for (const auto &sc : run.scenes) prompts.push_back(sc.prompt);
  const std::string digest =
      short_digest(run.title, run.script, account.language, account.voice, prompts, run.music);
  std::string video_id, video_url;
  bool already_published = false;
  if (to_youtube) {
    size_t s = run.clock.start("upload");
    UploadRequest up;
    up.file = (fs::path(folder) / "video.mp4").string();
    up.title = run.title;
    up.description = run.description;
    up.tags = run.tags;
    up.privacy = account.privacy;
    up.made_for_kids = account.made_for_kids;
    const am_store *store = host.find<am_store>(AM_STORE_SERVICE_ID);
    auto record = [&](const json::object &patch) {
      if (!store || history_id.empty()) return;
      const std::string text = json::serialize(patch);
      am::buffer err;
      if (store->update_history(host.get(), am::to_am_str(history_id), am::to_am_str(text), nullptr,
                                err.out()) != AM_OK)
        job.log().warn("history: could not update the record: " + err.str());
    };
    auto call = upload_once(job, account.id, api, std::move(up), digest);
    Upload once = co_await std::move(call);
    const UploadOutcome &uploaded = once.outcome;
    already_published = once.already_published;
    if (!uploaded.published()) {
      run.clock.fail(s, uploaded.reason);
      // Uncertain: the record stays "generated" (it may be published), with the reason.
      if (uploaded.state == UploadOutcome::State::uncertain)
        record(json::object{{"error", uploaded.reason}});
      else
        record(json::object{{"status", "failed"}, {"error", uploaded.reason}});
      throw am::error(uploaded.status, uploaded.reason + " (the video stays in " + folder + ")");
    }
    video_id = uploaded.video_id;
    video_url = uploaded.url;
    record(
        json::object{{"status", "published"}, {"remote_id", video_id}, {"remote_url", video_url}});
    run.clock.finish(s, video_url + " (" + std::to_string(uploaded.resumes) + " resumes, " +
                            std::to_string(uploaded.sessions) + " sessions)");
  }

  // 10. Cross-posts: the link when it went to YouTube, else the video itself.
  json::array shared;
  std::string share_error;
  am_status share_status = AM_OK;
  for (const auto &target : cross_targets) {
    size_t s = run.clock.start("share " + target.plugin + ":" + target.account);
    CrossPostShort short_video{run.title, run.description,
                               (fs::path(folder) / "video.mp4").string(), video_url, digest};
    try {
      auto call = cross_post(job, account, target, short_video, run.have_llm);
      CrossPostResult r = co_await std::move(call);
      shared.push_back(json::object{{"plugin", r.target.plugin},
                                    {"account", r.target.account},
                                    {"text", r.text},
                                    {"id", r.id},
                                    {"url", r.url}});
      run.clock.finish(s, r.url);
    } catch (const am::error &e) {
      if (e.status() == AM_CANCELLED) throw;
      run.clock.fail(s, e.what());
      if (share_error.empty() || e.status() == AM_UNCERTAIN) {
        share_error = e.what();  // an uncertain share is the one the user must look at
        share_status = e.status();
      }
    }
  }
  // Each publisher records its own post in its history; the result lists them here.

  if (!pending_key.empty() && run.cache) run.cache->remove(host.get(), am::to_am_str(pending_key));

  // The work folder held only intermediate files; the outbox has what matters now.
  {
    const fs::path work = run.work;
    auto clean = job.on_worker([work] {
      std::error_code ec;
      fs::remove_all(work, ec);
    });
    co_await std::move(clean);
  }
  job.log().info("youtube: done in " + format_seconds(run.clock.elapsed()) + ": " + folder);

  json::object result{{"outbox", folder},
                      {"video", (fs::path(folder) / "video.mp4").string()},
                      {"thumbnail", (fs::path(folder) / "thumbnail.jpg").string()},
                      {"metadata", (fs::path(folder) / "metadata.json").string()},
                      {"title", run.title},
                      {"duration", meta["duration"]},
                      {"seconds", std::round(run.clock.elapsed() * 100) / 100}};
  if (!history_id.empty()) result["history_id"] = history_id;
  if (!video_id.empty()) {
    result["video_id"] = video_id;
    result["url"] = video_url;
    if (already_published) result["already_published"] = true;
  }
  if (!cross_targets.empty()) result["shared"] = shared;
  if (!share_error.empty())
    throw am::error(share_status == AM_UNCERTAIN ? AM_UNCERTAIN : AM_ERROR,
                    "the Short is made (" + (video_url.empty() ? folder : video_url) + ") but " +
                        (share_status == AM_UNCERTAIN ? "a share's outcome is uncertain: "
                                                      : "sharing it failed: ") +
                        share_error);
  co_return json::serialize(result);
}

}  // namespace youtube
