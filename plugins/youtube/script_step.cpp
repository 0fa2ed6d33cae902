// plugins/youtube/script_step.cpp — the script: from its file, or from the LLM after a topic.
#include "script_step.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>

#include "llm_steps.hpp"
#include "near_duplicate.hpp"
#include "recent_history.hpp"
#include "script_text.hpp"

namespace youtube {

namespace {

constexpr int kRecentVideos = 20;  // the account's videos a new topic must not repeat
constexpr int kTopicAsks = 3;      // topics the LLM may propose before the run fails

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

am::task<Script> script_from_file(JobContext &ctx, Provenance &made) {
  const std::string path = ctx.settings.options.script_file;
  Script script;
  size_t s = ctx.clock.start("script");
  try {
    auto read = ctx.job.on_worker([path] { return read_script_file(path); });
    script.text = co_await std::move(read);
    ctx.clock.finish(s, "read from " + path);
  } catch (const am::error &e) {
    ctx.clock.fail(s, e.what());
    throw;
  }
  made.providers["script"] = "file";
  ctx.job_id = inputs_key({"file", script.text, ctx.settings.account.id});
  co_return script;
}

// Resumes the unfinished job for the same inputs, or starts one. Returns the marker's key.
std::string resume_or_start_job(JobContext &ctx) {
  const Account &account = ctx.settings.account;
  const Options &options = ctx.settings.options;
  const std::string pending_key = "pending/" +
                                  (account.id.empty() ? std::string("default") : account.id) + "/" +
                                  inputs_key({options.topic, account.niche, account.language,
                                              std::to_string(options.sentences)});
  ctx.job_id = cache_get(ctx, pending_key);
  if (ctx.job_id.empty()) {
    ctx.job_id = inputs_key(
        {pending_key, std::to_string(std::chrono::system_clock::now().time_since_epoch().count())});
    cache_put(ctx, pending_key, ctx.job_id);
  } else {
    ctx.job.log().info("youtube: resuming the unfinished job " + ctx.job_id);
  }
  return pending_key;
}

// A topic unlike the account's recent videos: their topics and titles go into the prompt, and
// an answer that nearly repeats one is sent back. Only the accepted topic is a step of the job:
// a resumed job keeps it (its own video may be in the history by then), and a job that failed
// for want of a new topic asks afresh when it is taken up again.
am::task<std::string> fresh_topic(JobContext &ctx) {
  const std::string key = "step/" + ctx.job_id + "/accepted-topic";
  if (std::string hit = cache_get(ctx, key); !hit.empty()) {
    ctx.clock.finish(ctx.clock.start("topic"), "from the job's cache");
    co_return hit;
  }
  const Account &account = ctx.settings.account;
  const std::vector<std::string> recent = fresh_content::recent_texts(
      ctx.job.host_ref(),
      {account.pseudo ? "" : account.id, "video", "", {"extra.topic", "title"}, kRecentVideos});
  std::string messages = topic_messages(account, recent);
  for (int ask = 1;; ++ask) {
    const std::string step = ask == 1 ? "topic" : "topic-" + std::to_string(ask);
    auto call = llm_step(ctx, step, messages, "", 0.9);
    const std::string topic = clean_topic(co_await std::move(call));
    if (topic.empty()) throw am::error(AM_ERROR, "the LLM answered no topic");
    const std::string *repeated = fresh_content::nearly_repeats(topic, recent);
    if (!repeated) {
      cache_put(ctx, key, topic);
      co_return topic;
    }
    if (ask >= kTopicAsks)
      throw am::error(
          AM_ERROR, "the LLM proposed " + std::to_string(ask) + " topics in a row for account '" +
                        account.nickname + "' that repeat its recent videos (the last, \"" + topic +
                        "\", is too close to \"" + *repeated + "\"); choose one with --topic");
    ctx.job.log().warn("youtube: the topic \"" + topic + "\" repeats a recent video of '" +
                       account.nickname + "'; asking for another");
    messages =
        continued_messages(messages, topic, fresh_content::repeat_refusal(*repeated, "videos"));
  }
}

am::task<Script> script_from_llm(JobContext &ctx, Provenance &made) {
  const Options &options = ctx.settings.options;
  if (!ctx.have_llm)
    throw am::error(AM_UNSUPPORTED,
                    "no script: pass --script FILE, or configure an LLM (this host offers no "
                    "LLM service, automuse.llm/1, to write one" +
                        std::string(options.topic.empty() ? "" : " about '" + options.topic + "'") +
                        ")");
  Script script;
  script.pending_key = resume_or_start_job(ctx);
  script.topic = options.topic;
  if (script.topic.empty()) {
    auto topic = fresh_topic(ctx);
    script.topic = co_await std::move(topic);
    made.providers["topic"] = "llm";
  }
  auto call =
      cached_chat(ctx, "script",
                  script_messages(ctx.settings.account, script.topic, options.sentences), "", 0.7);
  script.text = clean_script(co_await std::move(call));
  if (script.text.empty())
    throw am::error(AM_ERROR,
                    "the LLM's script was empty once markdown and stage directions were removed");
  made.providers["script"] = "llm";
  script.by_llm = true;
  co_return script;
}

}  // namespace

am::task<Script> script_step(JobContext &ctx, Provenance &made) {
  if (!ctx.settings.options.script_file.empty()) {
    auto reading = script_from_file(ctx, made);
    co_return co_await std::move(reading);
  }
  auto writing = script_from_llm(ctx, made);
  co_return co_await std::move(writing);
}

}  // namespace youtube
