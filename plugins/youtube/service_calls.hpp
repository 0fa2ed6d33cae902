// plugins/youtube/service_calls.hpp — the host's speech, images and render services as
// awaitable calls (the SDK ships such a wrapper for HTTP only). Each resumes the coroutine on
// the job's executor with an owned copy of the result, or throws am::error with the service's
// message.
#pragma once

#include <automuse/images.h>
#include <automuse/render.h>
#include <automuse/speech.h>

#include <automuse/cpp/job.hpp>
#include <automuse/cpp/task.hpp>
#include <functional>
#include <string>
#include <vector>

namespace youtube {

struct SpeechInput {
  std::string text;
  std::string language;
  std::string voice;
  int rate = 0;  // words per minute; 0: the service's default (175)
  std::string output_path;
};

struct SpokenWord {
  std::string text;
  double start = 0, end = 0;
  uint64_t begin = 0, end_offset = 0;
};

struct SpeechOutput {
  std::string audio_path;
  double duration = 0;
  std::vector<SpokenWord> words;
  std::string words_json;
  std::string provider;
  bool from_cache = false;
};

struct ImageInput {
  std::string prompt;
  int width = 0, height = 0;
  std::string providers;
};

struct ImageOutput {
  std::string path;
  std::string provider;
  bool from_cache = false;
  std::string report_json;
};

struct LlmOutput {
  std::string content;
  std::string json;  // structured answers: the extracted value
  std::string provider;
  std::string model;
  bool from_cache = false;
};

// True when this host offers "automuse.llm/1" (and the SDK this plugin was built with has it).
bool llm_available(const am::host &host);

// One chat: `messages_json` as in automuse/llm.h; `shape` non-empty for a structured answer.
am::task<LlmOutput> chat(am::job job, std::string messages_json, std::string shape,
                         std::string account_id, double temperature);

am::task<SpeechOutput> synthesize(am::job job, SpeechInput input);
am::task<ImageOutput> generate_image(am::job job, ImageInput input);

// Renders a timeline; `on_progress(fraction, fps)` is called on the job's executor. Returns
// the service's result JSON.
am::task<std::string> render(am::job job, std::string timeline_json,
                             std::function<void(double, double)> on_progress);

}  // namespace youtube
