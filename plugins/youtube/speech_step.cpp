// plugins/youtube/speech_step.cpp — speaking the script and keeping a Short short.
#include "speech_step.hpp"

#include <algorithm>
#include <cmath>

namespace youtube {

namespace {

constexpr double kMaxSpeedUp = 1.25;
constexpr int kDefaultRate = 175;  // espeak-ng words per minute

// The refusal when the speech runs over `max` and speeding up is not allowed or not enough.
am::error too_long(double duration, double max, bool speed_up) {
  const std::string runs = "the script's speech runs " + format_seconds(duration) +
                           ", longer than the maximum of " + format_seconds(max);
  if (!speed_up)
    return am::error(AM_INVALID_ARGUMENT,
                     runs +
                         ": shorten the script, or pass --speed-up to let the voice speak up "
                         "to 1.25x faster");
  return am::error(AM_INVALID_ARGUMENT, runs + " even with --speed-up: fitting it needs " +
                                            std::to_string(duration / max).substr(0, 4) +
                                            "x, more than the 1.25x allowed; shorten the script");
}

}  // namespace

am::task<SpeechOutput> speak(JobContext &ctx, const std::string &script, const Workspace &ws,
                             SpeechTake take) {
  const Account &account = ctx.settings.account;
  size_t s = ctx.clock.start(take.step);
  try {
    SpeechInput in;
    in.text = script;
    in.language = account.language;
    in.voice = account.voice;
    in.rate = take.rate;
    in.output_path = (ws.work / take.file).string();
    SpeechOutput out = co_await synthesize(ctx.job, std::move(in));
    ctx.clock.finish(s, format_seconds(out.duration) + " of speech, " +
                            std::to_string(out.words.size()) + " words" +
                            (out.from_cache ? ", from cache" : ""));
    co_return out;
  } catch (const am::error &e) {
    std::string msg = e.what();
    if (e.status() == AM_INVALID_ARGUMENT && !account.voice.empty() &&
        msg.find("voice") != std::string::npos)
      msg = "account field 'voice' ('" + account.voice + "'): " + msg;
    ctx.clock.fail(s, msg);
    throw am::error(e.status(), msg);
  }
}

am::task<Voice> fit_duration(JobContext &ctx, const std::string &script, const Workspace &ws,
                             SpeechOutput speech, Provenance &made) {
  const Account &account = ctx.settings.account;
  const double max = account.max_duration;
  Voice voice;
  if (speech.duration > max) {
    const double need = speech.duration / max;
    if (!ctx.settings.options.speed_up || need > kMaxSpeedUp)
      throw too_long(speech.duration, max, ctx.settings.options.speed_up);
    voice.speed = std::min(kMaxSpeedUp, need * 1.03);
    const int rate = static_cast<int>(std::ceil(kDefaultRate * voice.speed));
    SpeechTake faster;
    faster.rate = rate;
    faster.file = "voice-" + std::to_string(rate) + ".wav";
    faster.step = "speech (faster)";
    auto again = speak(ctx, script, ws, std::move(faster));
    speech = co_await std::move(again);
    if (speech.duration > max)
      throw am::error(AM_INVALID_ARGUMENT,
                      "the script's speech still runs " + format_seconds(speech.duration) + " at " +
                          std::to_string(rate) + " words per minute, over the maximum of " +
                          format_seconds(max) + "; shorten the script");
    made.notes.push_back("voice sped up " + std::to_string(voice.speed).substr(0, 4) +
                         "x to fit the maximum duration");
  }
  made.providers["speech"] = speech.provider;
  made.providers["voice"] =
      account.voice.empty() ? "default for " + account.language : account.voice;
  voice.speech = std::move(speech);
  co_return voice;
}

}  // namespace youtube
