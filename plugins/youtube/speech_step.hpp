// plugins/youtube/speech_step.hpp — the voice: the script spoken by the speech service with
// its word timings, and the duration rule (a Short stays within the account's maximum: with
// --speed-up the voice may speak up to 1.25x faster, otherwise an over-long script is an error).
#pragma once

#include <automuse/cpp/task.hpp>
#include <string>

#include "job_context.hpp"
#include "service_calls.hpp"
#include "workspace_step.hpp"

namespace youtube {

// What to say and where: `rate` in words per minute (0: the service's default), `file` in the
// work folder, `step` names it on the step clock.
struct SpeechTake {
  int rate = 0;
  std::string file;
  std::string step;
};

// Speaks `script` in the account's language and voice. A voice the service refuses is an error
// naming the account field.
am::task<SpeechOutput> speak(JobContext &ctx, const std::string &script, const Workspace &ws,
                             SpeechTake take);

struct Voice {
  SpeechOutput speech;
  double speed = 1.0;  // how much faster than the default rate it speaks
};

// The speech within the account's max_duration: as it is, or spoken again faster when
// --speed-up allows. Notes the speech provider, voice and any speed-up in `made`. Throws
// am::error(AM_INVALID_ARGUMENT) with the measured duration when it cannot fit.
am::task<Voice> fit_duration(JobContext &ctx, const std::string &script, const Workspace &ws,
                             SpeechOutput speech, Provenance &made);

}  // namespace youtube
