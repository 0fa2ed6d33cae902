// host/speech/speech_service.cpp — the speech service's operations and its C table.
#include "speech/speech_service.hpp"

#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/str.hpp>
#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <cmath>

#include "cache/cache.hpp"
#include "cache/sha256.hpp"
#include "core/job.hpp"
#include "core/op_cancel.hpp"
#include "core/services.hpp"
#include "speech/aligner.hpp"
#include "speech/caption_formats.hpp"
#include "speech/language.hpp"

namespace automuse::speech {

namespace json = boost::json;

namespace {

void deliver(am_job &job, am_op_id id, const SpeechDone &done, am_status status, std::string error,
             std::shared_ptr<SpeechOutcome> outcome) {
  job.complete_op(id, [done, status, error = std::move(error), outcome] {
    done(status, error, status == AM_OK ? outcome.get() : nullptr);
  });
}

}  // namespace

SpeechService::SpeechService(SpeechServiceConfig config) : config_(std::move(config)) {
  add_provider(make_espeak_provider(config_.espeak_parallel));
}

SpeechService::~SpeechService() = default;

void SpeechService::add_provider(std::unique_ptr<SpeechProvider> p) {
  std::lock_guard lock(mutex_);
  std::string name = p->name();
  providers_[name] = std::shared_ptr<SpeechProvider>(std::move(p));
}

SpeechProvider *SpeechService::provider(const std::string &name) const {
  std::lock_guard lock(mutex_);
  auto it = providers_.find(name);
  return it == providers_.end() ? nullptr : it->second.get();
}

std::string SpeechService::voices_json(const std::string &name) const {
  SpeechProvider *p = provider(name);
  return p ? p->voices_json() : std::string();
}

std::string SpeechService::cache_key(const SpeechRequest &r) const {
  const std::string &name = r.provider.empty() ? config_.default_provider : r.provider;
  SpeechProvider *p = provider(name);
  std::string identity = p ? p->identity(r.speech) : std::string();
  char speed[32];
  std::snprintf(speed, sizeof speed, "%.3f", r.speech.speed);
  return cache::sha256_hex("automuse.speech/1\n" + name + "\n" + identity + "\n" + speed + "\n" +
                           r.speech.text);
}

std::filesystem::path SpeechService::new_output_path(const std::string &key) {
  std::filesystem::create_directories(config_.output_dir);
  return config_.output_dir /
         ("speech-" + key.substr(0, 16) + "-" + std::to_string(file_counter_++) + ".wav");
}

bool SpeechService::try_cache(const SpeechRequest &r, const std::string &key, SpeechOutcome &out) {
  if (!config_.cache || !r.use_cache) return false;
  auto meta = config_.cache->get(key + ".words");
  if (!meta) return false;
  auto wav = config_.cache->get_path(key + ".wav");
  if (!wav) return false;
  json::value v = json::parse(*meta);
  out.words = word_timings_from_json(json::serialize(v.at("words")));
  out.aligned = v.at("aligned").as_bool();
  PcmAudio audio = read_wav_file(*wav);
  out.audio_path = r.output_path.empty() ? new_output_path(key) : r.output_path;
  write_wav_file(out.audio_path, audio);
  out.duration = audio.duration();
  out.sample_rate = audio.sample_rate;
  out.provider = r.provider;
  out.from_cache = true;
  return true;
}

SpeechOutcome SpeechService::finish(const SpeechRequest &r, const std::string &key,
                                    ProviderAudio audio, const std::string &provider_name) {
  SpeechOutcome out;
  out.provider = provider_name;
  if (audio.has_timings) {
    out.words = std::move(audio.words);
  } else {
    // The provider gave audio only: align the script to it with an espeak-ng reference.
    SynthesisOptions reference;
    reference.language = r.speech.language;
    out.words = align_script(r.speech.text, audio.audio, reference);
    out.aligned = true;
  }
  out.audio_path = r.output_path.empty() ? new_output_path(key) : r.output_path;
  write_wav_file(out.audio_path, audio.audio);
  out.duration = audio.audio.duration();
  out.sample_rate = audio.audio.sample_rate;
  if (config_.cache && r.use_cache) {
    json::object meta{{"aligned", out.aligned},
                      {"words", json::parse(word_timings_to_json(out.words))}};
    // The audio first: a words entry is only ever found next to its audio.
    if (config_.cache->put_file(key + ".wav", out.audio_path))
      config_.cache->put(key + ".words", json::serialize(meta));
  }
  return out;
}

am_op_id SpeechService::synthesize(am_job &job, SpeechRequest r, SpeechDone done) {
  auto self_job = job.shared_from_this();
  auto state = std::make_shared<core::OpCancel>();
  am_op_id id = job.add_op([self_job, state, done](am_op_id op) {
    state->cancel();
    deliver(*self_job, op, done, AM_CANCELLED, "cancelled", nullptr);
  });
  if (r.provider.empty()) r.provider = config_.default_provider;
  if (r.speech.language.empty()) r.speech.language = "en";
  // One tag however the account wrote it: "German" and "de" share a voice and cache entries.
  try {
    r.speech.language = language_tag(r.speech.language);
  } catch (const SpeechError &e) {
    deliver(job, id, done, AM_INVALID_ARGUMENT, e.what(), nullptr);
    return id;
  }
  SpeechProvider *p = provider(r.provider);
  if (!p) {
    std::string names;
    {
      std::lock_guard lock(mutex_);
      for (const auto &[n, _] : providers_) names += (names.empty() ? "" : ", ") + n;
    }
    deliver(job, id, done, AM_INVALID_ARGUMENT,
            "provider: unknown speech provider '" + r.provider + "' (available: " + names + ")",
            nullptr);
    return id;
  }
  std::shared_ptr<SpeechProvider> keep;
  {
    std::lock_guard lock(mutex_);
    keep = providers_[r.provider];
  }
  std::string key = cache_key(r);
  boost::asio::post(job.workers(), [this, self_job, state, id, r, key, done, keep] {
    if (state->is_cancelled()) return;
    try {
      SpeechOutcome cached;
      if (try_cache(r, key, cached)) {
        deliver(*self_job, id, done, AM_OK, {}, std::make_shared<SpeechOutcome>(std::move(cached)));
        return;
      }
    } catch (const std::exception &) {
      // A damaged cache entry is a miss, never a failure.
    }
    auto on_audio = [this, self_job, state, id, r, key, done, keep](
                        am_status status, std::string error, ProviderAudio audio) {
      state->ended();
      if (status != AM_OK) {
        deliver(*self_job, id, done, status, std::move(error), nullptr);
        return;
      }
      auto shared_audio = std::make_shared<ProviderAudio>(std::move(audio));
      boost::asio::post(self_job->workers(),
                        [this, self_job, state, id, r, key, done, keep, shared_audio] {
                          if (state->is_cancelled()) return;
                          try {
                            auto out = std::make_shared<SpeechOutcome>(
                                finish(r, key, std::move(*shared_audio), keep->name()));
                            deliver(*self_job, id, done, AM_OK, {}, out);
                          } catch (const SpeechError &e) {
                            deliver(*self_job, id, done, status_for(e), e.what(), nullptr);
                          } catch (const std::exception &e) {
                            deliver(*self_job, id, done, AM_IO, e.what(), nullptr);
                          }
                        });
    };
    state->set_abort(keep->speak(*self_job, r.speech, on_audio));
  });
  return id;
}

am_op_id SpeechService::align(am_job &job, std::string text, std::filesystem::path audio_path,
                              std::string language, SpeechDone done) {
  auto self_job = job.shared_from_this();
  auto state = std::make_shared<core::OpCancel>();
  am_op_id id = job.add_op([self_job, state, done](am_op_id op) {
    state->cancel();
    deliver(*self_job, op, done, AM_CANCELLED, "cancelled", nullptr);
  });
  if (language.empty()) language = "en";
  boost::asio::post(job.workers(), [self_job, state, id, text, audio_path, language, done] {
    if (state->is_cancelled()) return;
    try {
      PcmAudio audio = read_wav_file(audio_path);
      SynthesisOptions reference;
      reference.language = language;
      auto out = std::make_shared<SpeechOutcome>();
      out->words = align_script(text, audio, reference);
      out->audio_path = audio_path;
      out->duration = audio.duration();
      out->sample_rate = audio.sample_rate;
      out->provider = "alignment";
      out->aligned = true;
      deliver(*self_job, id, done, AM_OK, {}, out);
    } catch (const SpeechError &e) {
      deliver(*self_job, id, done, status_for(e), e.what(), nullptr);
    } catch (const std::exception &e) {
      deliver(*self_job, id, done, AM_INTERNAL, e.what(), nullptr);
    }
  });
  return id;
}

// ---- The C binding -------------------------------------------------------------------------

namespace {

using core::set_buffer;
using core::to_string;
am_str view(const std::string &s) {
  return core::to_am_str(s);
}

SpeechService *speech_service_of(const am_host *host) {
  return core::ServiceBinding<am_speech, SpeechService>::of(host, AM_SPEECH_SERVICE_ID);
}

// Adapts a C callback to SpeechDone: builds the borrowed result struct for the call.
SpeechDone c_done(am_speech_done_fn fn, void *user) {
  return [fn, user](am_status status, const std::string &error, const SpeechOutcome *o) {
    if (!o) {
      fn(user, status, view(error), nullptr);
      return;
    }
    std::vector<am_word_timing> words;
    words.reserve(o->words.size());
    for (const WordTiming &w : o->words)
      words.push_back({view(w.text), w.start, w.end, w.begin, w.end_offset});
    std::string path = o->audio_path.string();
    std::string json_words = word_timings_to_json(o->words);
    am_speech_result r{};
    r.struct_size = sizeof r;
    r.audio_path = view(path);
    r.duration = o->duration;
    r.sample_rate = o->sample_rate;
    r.words = words.data();
    r.word_count = words.size();
    r.words_json = view(json_words);
    r.provider = view(o->provider);
    r.from_cache = o->from_cache;
    r.aligned = o->aligned;
    fn(user, status, am_str{"", 0}, &r);
  };
}

// Fails an operation that could not even start, still through the job (never inline).
am_op_id fail_now(am_job *job, am_speech_done_fn fn, void *user, am_status status,
                  std::string error) {
  return core::fail_now(*job, fn, user, status, std::move(error));
}

constexpr size_t kRequestV1 = offsetof(am_speech_request, no_cache) + sizeof(bool);

am_op_id c_synthesize(const am_host *host, am_job *job, const am_speech_request *req,
                      am_speech_done_fn done, void *user) {
  SpeechService *svc = speech_service_of(host);
  if (!svc) return fail_now(job, done, user, AM_UNSUPPORTED, "speech service not installed");
  if (!req || req->struct_size < kRequestV1)
    return fail_now(job, done, user, AM_INVALID_ARGUMENT, "request: missing or too small");
  SpeechRequest r;
  r.speech.text = to_string(req->text);
  r.provider = to_string(req->provider);
  r.speech.language = to_string(req->language);
  r.speech.voice = to_string(req->voice);
  r.speech.rate = req->rate == 0 ? 175 : req->rate;
  r.speech.pitch = req->pitch == 0 ? 50 : req->pitch;
  r.speech.speed = req->speed == 0 ? 1.0 : req->speed;
  if (!(r.speech.speed >= 0.25 && r.speech.speed <= 4.0))
    return fail_now(job, done, user, AM_INVALID_ARGUMENT, "speed: must be between 0.25 and 4");
  r.output_path = to_string(req->output_path);
  r.use_cache = !req->no_cache;
  return svc->synthesize(*job, std::move(r), c_done(done, user));
}

am_op_id c_align(const am_host *host, am_job *job, const am_align_request *req,
                 am_speech_done_fn done, void *user) {
  SpeechService *svc = speech_service_of(host);
  if (!svc) return fail_now(job, done, user, AM_UNSUPPORTED, "speech service not installed");
  if (!req || req->struct_size < sizeof(am_align_request))
    return fail_now(job, done, user, AM_INVALID_ARGUMENT, "request: missing or too small");
  return svc->align(*job, to_string(req->text), to_string(req->audio_path),
                    to_string(req->language), c_done(done, user));
}

void c_cancel(const am_host *, am_job *job, am_op_id op) {
  if (job) job->cancel_op(op);
}

am_status c_captions(const am_host *, const am_caption_request *req, am_buffer *out,
                     am_buffer *error) {
  if (!req || req->struct_size < sizeof(am_caption_request)) {
    set_buffer(error, "request: missing or too small");
    return AM_INVALID_ARGUMENT;
  }
  try {
    const std::vector<WordTiming> words = word_timings_from_json(to_string(req->words_json));
    set_buffer(out, caption_output(req->format, words, caption_style(*req), caption_canvas(*req)));
    return AM_OK;
  } catch (const SpeechError &e) {
    set_buffer(error, e.what());
    return AM_INVALID_ARGUMENT;
  } catch (const std::exception &e) {
    set_buffer(error, e.what());
    return AM_INTERNAL;
  }
}

am_status c_voices(const am_host *host, am_str provider, am_buffer *out) {
  SpeechService *svc = speech_service_of(host);
  if (!svc) return AM_UNSUPPORTED;
  std::string name = provider.len ? to_string(provider) : "espeak";
  try {
    std::string v = svc->voices_json(name);
    if (v.empty()) return AM_UNSUPPORTED;
    set_buffer(out, std::move(v));
    return AM_OK;
  } catch (const std::exception &) {
    return AM_ERROR;
  }
}

}  // namespace

am_speech SpeechService::c_table() {
  return am_speech{sizeof(am_speech), c_synthesize, c_align, c_cancel, c_captions, c_voices};
}

}  // namespace automuse::speech
