// plugins/youtube/draft_step.cpp — metadata, pictures and speech at the same time.
#include "draft_step.hpp"

#include "llm_steps.hpp"
#include "metadata_text.hpp"
#include "speech_step.hpp"

namespace youtube {

namespace {

constexpr int kShortenAsks = 2;  // times an over-long LLM script goes back to be shortened

// Title, description and tags from the script (the title from the option when given).
Metadata offline_metadata(const std::string &script, const Options &options, Provenance &made) {
  Metadata m;
  m.title = clamp_title(options.title);
  made.providers["title"] = "option";
  if (m.title.empty()) {
    m.title = title_from_script(script);
    made.providers["title"] = "script (first sentence)";
  }
  m.tags = key_words(script);
  m.description = description_from(script, m.tags);
  made.providers["description"] = "script";
  made.providers["tags"] = "script key words";
  return m;
}

// Title, description and tags: from the LLM when there is one, else `offline`.
am::task<Metadata> write_metadata(JobContext &ctx, const std::string &script,
                                  const std::string &topic, Metadata offline, Provenance &made) {
  const bool title_given = !ctx.settings.options.title.empty();
  if (!ctx.have_llm) {
    size_t s = ctx.clock.start("metadata");
    ctx.clock.finish(s, "offline: from the script");
    made.use_fallback("description from the script", "no LLM service");
    made.use_fallback("tags from its key words", "no LLM service");
    if (!title_given) made.use_fallback("title from its first sentence", "no LLM service");
    co_return offline;
  }
  Metadata m = offline;
  try {
    auto call = cached_chat(
        ctx, "metadata",
        metadata_messages(ctx.settings.account, topic.empty() ? m.title : topic, script),
        metadata_shape(), 0.5);
    const std::string answer = co_await std::move(call);
    LlmMetadata llm = parse_metadata(answer);
    if (!title_given) {
      m.title = llm.title;
      made.providers["title"] = "llm";
    }
    m.description = llm.description;
    made.providers["description"] = "llm";
    if (!llm.tags.empty()) {
      m.tags = llm.tags;
      made.providers["tags"] = "llm";
    }
  } catch (const am::error &e) {
    if (e.status() == AM_CANCELLED) throw;
    ctx.job.log().warn(std::string("youtube: metadata from the script instead: ") + e.what());
    made.use_fallback("title, description and tags from the script", e.what());
    m = std::move(offline);
  }
  co_return m;
}

// The scenes' image prompts from the LLM; the offline prompts stay when there is none or it
// fails.
am::task<void> write_image_prompts(JobContext &ctx, const std::string &script,
                                   std::vector<Scene> &scenes, Provenance &made) {
  if (!ctx.have_llm) {
    made.use_fallback("image prompts from the script's sentences", "no LLM service");
    co_return;
  }
  try {
    std::vector<std::string> texts;
    for (const auto &sc : scenes) texts.push_back(script.substr(sc.begin, sc.end - sc.begin));
    auto call = cached_chat(ctx, "image_prompts", prompts_messages(ctx.settings.account, texts),
                            prompts_shape(texts.size()), 0.7);
    const std::string answer = co_await std::move(call);
    auto prompts = parse_prompts(answer, texts.size());
    for (size_t i = 0; i < prompts.size(); ++i) scenes[i].prompt = prompts[i];
    made.providers["image_prompts"] = "llm";
  } catch (const am::error &e) {
    if (e.status() == AM_CANCELLED) throw;
    ctx.job.log().warn(std::string("youtube: image prompts from the script instead: ") + e.what());
    made.use_fallback("image prompts from the script's sentences", e.what());
  }
}

am::task<ImageOutput> one_image(JobContext &ctx, std::string prompt, const Workspace &ws) {
  ImageInput in;
  in.prompt = std::move(prompt);
  in.width = ws.width;
  in.height = ws.height;
  in.providers = ctx.settings.account.image_providers;
  co_return co_await generate_image(ctx.job, std::move(in));
}

// Each scene's picture, all requested at once.
am::task<std::vector<Scene>> make_pictures(JobContext &ctx, const std::string &script,
                                           std::vector<Scene> scenes, const Workspace &ws,
                                           Provenance &made) {
  auto prompting = write_image_prompts(ctx, script, scenes, made);
  co_await std::move(prompting);
  size_t s = ctx.clock.start("images");
  try {
    std::vector<am::task<ImageOutput>> tasks;
    for (const auto &sc : scenes) tasks.push_back(one_image(ctx, sc.prompt, ws));
    auto all = am::when_all(std::move(tasks));
    auto images = co_await std::move(all);
    size_t cached = 0;
    for (size_t i = 0; i < images.size(); ++i) {
      scenes[i].image = images[i].path;
      scenes[i].provider = images[i].provider;
      cached += images[i].from_cache;
    }
    ctx.clock.finish(s, std::to_string(images.size()) + " images" +
                            (cached ? ", " + std::to_string(cached) + " from cache" : ""));
  } catch (const am::error &e) {
    ctx.clock.fail(s, e.what());
    throw;
  }
  co_return scenes;
}

// One attempt: the offline plan, then metadata, pictures and speech concurrently.
am::task<Draft> draft_once(JobContext &ctx, const Script &script, const Workspace &ws,
                           Provenance &made) {
  made.fallbacks.clear();
  std::vector<Scene> scenes = plan_scenes(split_sentences(script.text));
  if (scenes.empty()) throw am::error(AM_INVALID_ARGUMENT, "the script has no sentences");
  Metadata offline = offline_metadata(script.text, ctx.settings.options, made);
  made.providers["image_prompts"] = "script sentences";
  SpeechTake take;
  take.file = "voice.wav";
  take.step = "speech";
  auto all = am::when_all(speak(ctx, script.text, ws, std::move(take)),
                          make_pictures(ctx, script.text, std::move(scenes), ws, made),
                          write_metadata(ctx, script.text, script.topic, std::move(offline), made));
  auto [speech, pictures, metadata] = co_await std::move(all);
  Draft draft;
  draft.script = script.text;
  draft.metadata = std::move(metadata);
  draft.scenes = std::move(pictures);
  draft.speech = std::move(speech);
  co_return draft;
}

}  // namespace

am::task<Draft> draft_short(JobContext &ctx, Script script, const Workspace &ws, Provenance &made) {
  const Account &account = ctx.settings.account;
  const double max = account.max_duration;
  for (int attempt = 0;; ++attempt) {
    auto drafting = draft_once(ctx, script, ws, made);
    Draft draft = co_await std::move(drafting);
    const double spoken = draft.speech.duration;
    if (spoken <= max || !script.by_llm || attempt >= kShortenAsks) {
      made.note_fallbacks();
      co_return draft;
    }
    ctx.job.log().warn("youtube: the LLM's script runs " + format_seconds(spoken) + ", over " +
                       format_seconds(max) + ": asking for a shorter one");
    made.notes.push_back("the LLM's script ran " + format_seconds(spoken) +
                         " and was sent back to be shortened");
    auto call = cached_chat(ctx, "shorten-" + std::to_string(attempt),
                            shorten_messages(account, script.text, spoken, max), "", 0.5);
    script.text = clean_script(co_await std::move(call));
    if (script.text.empty()) throw am::error(AM_ERROR, "the LLM's shortened script was empty");
  }
}

}  // namespace youtube
