// plugins/youtube/service_calls.cpp — awaiters over the speech, images and render services.
// Each awaiter lives in the suspended coroutine's frame; the start call copies the request,
// never completes before returning, and the completion resumes on the job's executor.
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

class SpeechAwaiter {
 public:
  SpeechAwaiter(const am::host &host, am_job *job, const SpeechInput &in)
      : host_(host), job_(job), in_(in) {}
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    waiting_ = h;
    const auto &svc = host_.service<am_speech>(AM_SPEECH_SERVICE_ID);
    am_speech_request r{};
    r.struct_size = sizeof r;
    r.text = am::to_am_str(in_.text);
    r.provider = am::to_am_str("espeak");
    r.language = am::to_am_str(in_.language);
    r.voice = am::to_am_str(in_.voice);
    r.rate = in_.rate;
    r.output_path = am::to_am_str(in_.output_path);
    svc.synthesize(host_.get(), job_, &r, &SpeechAwaiter::done, this);
  }
  SpeechOutput await_resume() {
    if (status_ != AM_OK) throw am::error(status_, "speech: " + error_);
    return std::move(out_);
  }

 private:
  static void done(void *user, am_status status, am_str error, const am_speech_result *r) {
    auto *self = static_cast<SpeechAwaiter *>(user);
    self->status_ = status;
    self->error_ = am::to_string(error);
    if (status == AM_OK && r) {
      self->out_.audio_path = am::to_string(r->audio_path);
      self->out_.duration = r->duration;
      self->out_.words_json = am::to_string(r->words_json);
      self->out_.provider = am::to_string(r->provider);
      self->out_.from_cache = r->from_cache;
      for (size_t i = 0; i < r->word_count; ++i) {
        const am_word_timing &w = r->words[i];
        self->out_.words.push_back(
            SpokenWord{am::to_string(w.text), w.start, w.end, w.begin, w.end_offset});
      }
    } else if (status == AM_OK) {
      self->status_ = AM_INTERNAL;
      self->error_ = "the speech service reported success without a result";
    }
    self->waiting_.resume();
  }

  am::host host_;
  am_job *job_;
  SpeechInput in_;
  SpeechOutput out_;
  am_status status_ = AM_INTERNAL;
  std::string error_;
  std::coroutine_handle<> waiting_;
};

class ImageAwaiter {
 public:
  ImageAwaiter(const am::host &host, am_job *job, const ImageInput &in)
      : host_(host), job_(job), in_(in) {}
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    waiting_ = h;
    const auto &svc = host_.service<am_images>(AM_IMAGES_SERVICE_ID);
    am_image_request r{};
    r.struct_size = sizeof r;
    r.prompt = am::to_am_str(in_.prompt);
    r.width = in_.width;
    r.height = in_.height;
    r.kind = AM_MEDIA_IMAGE;
    r.providers = am::to_am_str(in_.providers);
    svc.generate(host_.get(), job_, &r, &ImageAwaiter::done, this);
  }
  ImageOutput await_resume() {
    if (status_ != AM_OK) throw am::error(status_, "images: " + error_);
    return std::move(out_);
  }

 private:
  static void done(void *user, am_status status, am_str error, const am_image_result *r) {
    auto *self = static_cast<ImageAwaiter *>(user);
    self->status_ = status;
    self->error_ = am::to_string(error);
    if (status == AM_OK && r) {
      self->out_.path = am::to_string(r->path);
      self->out_.provider = am::to_string(r->provider);
      self->out_.from_cache = r->from_cache;
      self->out_.report_json = am::to_string(r->report_json);
    } else if (status == AM_OK) {
      self->status_ = AM_INTERNAL;
      self->error_ = "the images service reported success without a result";
    }
    self->waiting_.resume();
  }

  am::host host_;
  am_job *job_;
  ImageInput in_;
  ImageOutput out_;
  am_status status_ = AM_INTERNAL;
  std::string error_;
  std::coroutine_handle<> waiting_;
};

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

#ifdef YOUTUBE_HAVE_LLM_H
class ChatAwaiter {
 public:
  ChatAwaiter(const am::host &host, am_job *job, std::string messages, std::string shape,
              std::string account, double temperature)
      : host_(host),
        job_(job),
        messages_(std::move(messages)),
        shape_(std::move(shape)),
        account_(std::move(account)),
        temperature_(temperature) {}
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    waiting_ = h;
    const auto &svc = host_.service<am_llm>(AM_LLM_SERVICE_ID);
    am_llm_request r{};
    r.struct_size = sizeof r;
    r.messages_json = am::to_am_str(messages_);
    r.account_id = am::to_am_str(account_);
    r.json_shape = am::to_am_str(shape_);
    r.has_temperature = true;
    r.temperature = temperature_;
    svc.chat(host_.get(), job_, &r, nullptr, &ChatAwaiter::done, this);
  }
  LlmOutput await_resume() {
    if (status_ != AM_OK) throw am::error(status_, "llm: " + error_);
    return std::move(out_);
  }

 private:
  static void done(void *user, am_status status, am_str error, const am_llm_result *r) {
    auto *self = static_cast<ChatAwaiter *>(user);
    self->status_ = status;
    self->error_ = am::to_string(error);
    if (status == AM_OK && r) {
      self->out_.content = am::to_string(r->content);
      self->out_.json = am::to_string(r->json);
      self->out_.provider = am::to_string(r->provider);
      self->out_.model = am::to_string(r->model);
      self->out_.from_cache = r->from_cache;
    } else if (status == AM_OK) {
      self->status_ = AM_INTERNAL;
      self->error_ = "the LLM service reported success without a result";
    }
    self->waiting_.resume();
  }

  am::host host_;
  am_job *job_;
  std::string messages_, shape_, account_;
  double temperature_;
  LlmOutput out_;
  am_status status_ = AM_INTERNAL;
  std::string error_;
  std::coroutine_handle<> waiting_;
};
#endif

}  // namespace

bool llm_available(const am::host &host) {
#ifdef YOUTUBE_HAVE_LLM_H
  return host.find<am_llm>(AM_LLM_SERVICE_ID) != nullptr;
#else
  (void)host;
  return false;
#endif
}

am::task<LlmOutput> chat(am::job job, std::string messages_json, std::string shape,
                         std::string account_id, double temperature) {
#ifdef YOUTUBE_HAVE_LLM_H
  ChatAwaiter awaiter(job.host_ref(), job.get(), std::move(messages_json), std::move(shape),
                      std::move(account_id), temperature);
  co_return co_await awaiter;
#else
  (void)job, (void)messages_json, (void)shape, (void)account_id, (void)temperature;
  throw am::error(AM_UNSUPPORTED, "this plugin was built without the LLM service's header");
  co_return LlmOutput{};
#endif
}

// Named awaiters (not temporaries in the co_await expression): see the g++ 12 note in
// automuse/cpp/http.hpp.
am::task<SpeechOutput> synthesize(am::job job, SpeechInput input) {
  SpeechAwaiter awaiter(job.host_ref(), job.get(), input);
  co_return co_await awaiter;
}

am::task<ImageOutput> generate_image(am::job job, ImageInput input) {
  ImageAwaiter awaiter(job.host_ref(), job.get(), input);
  co_return co_await awaiter;
}

am::task<std::string> render(am::job job, std::string timeline_json,
                             std::function<void(double, double)> on_progress) {
  RenderAwaiter awaiter(job.host_ref(), job.get(), std::move(timeline_json),
                        std::move(on_progress));
  co_return co_await awaiter;
}

}  // namespace youtube
