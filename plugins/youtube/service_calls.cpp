// plugins/youtube/service_calls.cpp — awaiters over the speech, images, LLM and render
// services. Each awaiter lives in the suspended coroutine's frame; the start call copies the
// request, never completes before returning, and the completion resumes on the job's executor.
#include "service_calls.hpp"

#include <automuse/cpp/str.hpp>
#include <coroutine>

// The LLM service's header arrived after the first release of this plugin: build without
// the LLM steps against an SDK that lacks it.
#if __has_include(<automuse/llm.h>)
#include <automuse/llm.h>
#define YOUTUBE_HAVE_LLM_H 1
#endif

namespace youtube {

namespace {

// One call of a service whose completion is (user, status, error, const Result *): `start`
// makes the call with the completion and its user pointer, `read` copies the borrowed result
// out. Errors start with `prefix` ("speech: <its message>"); `service` names the service in
// messages of its own ("the speech service ...").
template <class Result, class Out>
class ResultAwaiter {
 public:
  using Done = void (*)(void *user, am_status status, am_str error, const Result *result);
  using Start = std::function<void(Done done, void *user)>;
  using Read = Out (*)(const Result &result);

  ResultAwaiter(const char *prefix, const char *service, Start start, Read read)
      : prefix_(prefix), service_(service), start_(std::move(start)), read_(read) {}
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    waiting_ = h;
    start_(&ResultAwaiter::done, this);
  }
  Out await_resume() {
    if (status_ != AM_OK) throw am::error(status_, prefix_ + ": " + error_);
    return std::move(out_);
  }

 private:
  static void done(void *user, am_status status, am_str error, const Result *r) {
    auto *self = static_cast<ResultAwaiter *>(user);
    self->status_ = status;
    self->error_ = am::to_string(error);
    if (status == AM_OK && r) {
      self->out_ = self->read_(*r);
    } else if (status == AM_OK) {
      self->status_ = AM_INTERNAL;
      self->error_ = "the " + self->service_ + " service reported success without a result";
    }
    self->waiting_.resume();
  }

  std::string prefix_;
  std::string service_;
  Start start_;
  Read read_;
  Out out_;
  am_status status_ = AM_INTERNAL;
  std::string error_;
  std::coroutine_handle<> waiting_;
};

SpeechOutput read_speech(const am_speech_result &r) {
  SpeechOutput out;
  out.audio_path = am::to_string(r.audio_path);
  out.duration = r.duration;
  out.words_json = am::to_string(r.words_json);
  out.provider = am::to_string(r.provider);
  out.from_cache = r.from_cache;
  for (size_t i = 0; i < r.word_count; ++i) {
    const am_word_timing &w = r.words[i];
    out.words.push_back(SpokenWord{am::to_string(w.text), w.start, w.end, w.begin, w.end_offset});
  }
  return out;
}

ImageOutput read_image(const am_image_result &r) {
  ImageOutput out;
  out.path = am::to_string(r.path);
  out.provider = am::to_string(r.provider);
  out.from_cache = r.from_cache;
  out.report_json = am::to_string(r.report_json);
  return out;
}

#ifdef YOUTUBE_HAVE_LLM_H
LlmOutput read_llm(const am_llm_result &r) {
  LlmOutput out;
  out.content = am::to_string(r.content);
  out.json = am::to_string(r.json);
  out.provider = am::to_string(r.provider);
  out.model = am::to_string(r.model);
  out.from_cache = r.from_cache;
  return out;
}
#endif

class RenderAwaiter {
 public:
  RenderAwaiter(const am::host &host, am_job *job, std::string timeline,
                std::function<void(double, double)> progress)
      : host_(host), job_(job), timeline_(std::move(timeline)), progress_(std::move(progress)) {}
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    waiting_ = h;
    const auto &svc = host_.service<am_render_service>(AM_RENDER_SERVICE_ID);
    svc.render(job_, am::to_am_str(timeline_), am_str{nullptr, 0}, &RenderAwaiter::progress,
               &RenderAwaiter::done, this);
  }
  std::string await_resume() {
    if (status_ != AM_OK) throw am::error(status_, "render: " + error_);
    return std::move(result_);
  }

 private:
  static void progress(void *user, const am_render_progress *p) {
    auto *self = static_cast<RenderAwaiter *>(user);
    if (self->progress_ && p) self->progress_(p->fraction, p->fps);
  }
  static void done(void *user, am_status status, am_str result, am_str error) {
    auto *self = static_cast<RenderAwaiter *>(user);
    self->status_ = status;
    self->result_ = am::to_string(result);
    self->error_ = am::to_string(error);
    self->waiting_.resume();
  }

  am::host host_;
  am_job *job_;
  std::string timeline_;
  std::function<void(double, double)> progress_;
  std::string result_;
  am_status status_ = AM_INTERNAL;
  std::string error_;
  std::coroutine_handle<> waiting_;
};

}  // namespace

bool llm_available(const am::host &host) {
#ifdef YOUTUBE_HAVE_LLM_H
  return host.find<am_llm>(AM_LLM_SERVICE_ID) != nullptr;
#else
  (void)host;
  return false;
#endif
}

// Named awaiters (not temporaries in the co_await expression): see the g++ 12 note in
// automuse/cpp/http.hpp. Each start lambda owns its input, so the request's strings live as
// long as the awaiter.
am::task<LlmOutput> chat(am::job job, std::string messages_json, std::string shape,
                         std::string account_id, double temperature) {
#ifdef YOUTUBE_HAVE_LLM_H
  auto start = [host = job.host_ref(), j = job.get(), messages = std::move(messages_json),
                shape = std::move(shape), account = std::move(account_id),
                temperature](am_llm_done_fn done, void *user) {
    am_llm_request r{};
    r.struct_size = sizeof r;
    r.messages_json = am::to_am_str(messages);
    r.account_id = am::to_am_str(account);
    r.json_shape = am::to_am_str(shape);
    r.has_temperature = true;
    r.temperature = temperature;
    host.service<am_llm>(AM_LLM_SERVICE_ID).chat(host.get(), j, &r, nullptr, done, user);
  };
  ResultAwaiter<am_llm_result, LlmOutput> awaiter("llm", "LLM", std::move(start), &read_llm);
  co_return co_await awaiter;
#else
  (void)job, (void)messages_json, (void)shape, (void)account_id, (void)temperature;
  throw am::error(AM_UNSUPPORTED, "this plugin was built without the LLM service's header");
  co_return LlmOutput{};
#endif
}

am::task<SpeechOutput> synthesize(am::job job, SpeechInput input) {
  auto start = [host = job.host_ref(), j = job.get(), in = std::move(input)](am_speech_done_fn done,
                                                                             void *user) {
    am_speech_request r{};
    r.struct_size = sizeof r;
    r.text = am::to_am_str(in.text);
    r.provider = am::to_am_str("espeak");
    r.language = am::to_am_str(in.language);
    r.voice = am::to_am_str(in.voice);
    r.rate = in.rate;
    r.output_path = am::to_am_str(in.output_path);
    host.service<am_speech>(AM_SPEECH_SERVICE_ID).synthesize(host.get(), j, &r, done, user);
  };
  ResultAwaiter<am_speech_result, SpeechOutput> awaiter("speech", "speech", std::move(start),
                                                        &read_speech);
  co_return co_await awaiter;
}

am::task<ImageOutput> generate_image(am::job job, ImageInput input) {
  auto start = [host = job.host_ref(), j = job.get(), in = std::move(input)](am_image_done_fn done,
                                                                             void *user) {
    am_image_request r{};
    r.struct_size = sizeof r;
    r.prompt = am::to_am_str(in.prompt);
    r.width = in.width;
    r.height = in.height;
    r.kind = AM_MEDIA_IMAGE;
    r.providers = am::to_am_str(in.providers);
    host.service<am_images>(AM_IMAGES_SERVICE_ID).generate(host.get(), j, &r, done, user);
  };
  ResultAwaiter<am_image_result, ImageOutput> awaiter("images", "images", std::move(start),
                                                      &read_image);
  co_return co_await awaiter;
}

am::task<std::string> render(am::job job, std::string timeline_json,
                             std::function<void(double, double)> on_progress) {
  RenderAwaiter awaiter(job.host_ref(), job.get(), std::move(timeline_json),
                        std::move(on_progress));
  co_return co_await awaiter;
}

}  // namespace youtube
