// host/speech/remote_speech.cpp — OpenAI speech and ElevenLabs over the HTTP service.
#include "speech/remote_speech.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <mutex>
#include <optional>

#include "core/job.hpp"
#include "core/text.hpp"
#include "http/base64.hpp"
#include "http/http_client.hpp"
#include "http/json_post.hpp"
#include "http/provider_failure.hpp"

namespace automuse::speech {

namespace json = boost::json;

std::vector<SpeechText> split_for_requests(const std::vector<ScriptWord> &words, size_t max_chars,
                                           size_t max_sentences) {
  max_chars = std::max<size_t>(max_chars, 1);
  max_sentences = std::max<size_t>(max_sentences, 1);
  auto spoken_len = [&](size_t i) {
    return words[i].speaks() ? count_code_points(words[i].spoken) + 1 : 0;
  };
  // Sentences first, each cut further when it is over the limit.
  std::vector<std::pair<size_t, size_t>> parts;
  for (auto [a, b] : sentence_ranges(words)) {
    size_t first = a;
    while (first < b) {
      size_t chars = 0, last = first, cut = 0;
      while (last < b && (last == first || chars + spoken_len(last) <= max_chars + 1)) {
        chars += spoken_len(last);
        if (words[last].clause_end) cut = last + 1;
        ++last;
      }
      if (last < b && cut > first) last = cut;  // over the limit: end at a clause if one fits
      parts.emplace_back(first, last);
      first = last;
    }
  }
  // Then whole sentences grouped, up to max_sentences and max_chars a piece.
  std::vector<SpeechText> out;
  size_t first = 0, last = 0, chars = 0, sentences = 0;
  auto flush = [&] {
    if (last > first) {
      SpeechText st = make_speech_text(words, first, last);
      if (!st.word_index.empty()) out.push_back(std::move(st));
    }
    first = last;
    chars = 0;
    sentences = 0;
  };
  for (auto [a, b] : parts) {
    size_t len = 0;
    for (size_t i = a; i < b; ++i) len += spoken_len(i);
    if (sentences > 0 && (chars + len > max_chars + 1 || sentences >= max_sentences)) flush();
    last = b;
    chars += len;
    ++sentences;
  }
  flush();
  return out;
}

std::vector<WordTiming> words_from_characters(const std::vector<ScriptWord> &words,
                                              const SpeechText &text,
                                              const std::vector<std::string> &characters,
                                              const std::vector<double> &starts,
                                              const std::vector<double> &ends) {
  if (characters.size() != starts.size() || characters.size() != ends.size()) return {};
  if (characters.size() != count_code_points(text.text)) return {};
  std::string joined;
  for (const auto &c : characters) joined += c;
  if (joined != text.text) return {};
  std::vector<WordTiming> out;
  double floor = 0;
  for (size_t k = 0; k < text.word_index.size(); ++k) {
    const ScriptWord &w = words[text.word_index[k]];
    size_t begin = static_cast<size_t>(text.char_position[k] - 1);
    size_t len = count_code_points(w.spoken);
    if (len == 0 || begin + len > characters.size()) return {};
    double start = std::max(floor, starts[begin]);
    double end = std::max(start, ends[begin + len - 1]);
    floor = start;
    out.push_back({w.shown, start, end, w.begin, w.shown_end});
  }
  return out;
}

namespace {

// One piece of a script turned into audio (and maybe timings) by one HTTP exchange.
struct Piece {
  PcmAudio audio;
  std::vector<WordTiming> words;  // relative to the piece
  bool has_timings = false;
};

// Requests every piece at once, joins them in order, and calls done exactly once.
class PieceRun : public std::enable_shared_from_this<PieceRun> {
 public:
  using Decode = std::function<Piece(const http::Response &, const SpeechText &)>;

  PieceRun(http::HttpClient &http, std::string provider, std::vector<SpeechText> pieces,
           ProviderDone done)
      : http_(http),
        provider_(std::move(provider)),
        texts_(std::move(pieces)),
        results_(texts_.size()),
        done_(std::move(done)) {}

  // `make` builds the request of piece i (it may look at the pieces around it).
  void start(am_job &job,
             const std::function<http::Request(const std::vector<SpeechText> &, size_t)> &make,
             Decode decode) {
    decode_ = std::move(decode);
    remaining_ = texts_.size();
    auto self = shared_from_this();
    for (size_t i = 0; i < texts_.size(); ++i) {
      uint64_t id = http_.send(make(texts_, i), job.executor(),
                               [self, i](http::Response r) { self->arrived(i, std::move(r)); });
      std::lock_guard lock(mutex_);
      ids_.push_back(id);
    }
  }

  void abort() {
    std::vector<uint64_t> ids;
    {
      std::lock_guard lock(mutex_);
      finished_ = true;
      ids = ids_;
    }
    for (uint64_t id : ids) http_.cancel(id);
  }

 private:
  void arrived(size_t i, http::Response r) {
    if (!r.ok()) {
      auto [status, message] = http::provider_failure(provider_, r);
      fail(status, message);
      return;
    }
    try {
      results_[i] = decode_(r, texts_[i]);
    } catch (const SpeechError &e) {
      fail(AM_ERROR, provider_ + ": malformed answer: " + e.what());
      return;
    } catch (const std::exception &e) {
      fail(AM_ERROR, provider_ + ": malformed answer: " + e.what());
      return;
    }
    if (--remaining_ > 0) return;
    {
      std::lock_guard lock(mutex_);
      if (finished_) return;
      finished_ = true;
    }
    ProviderAudio out;
    out.audio.sample_rate = results_.front().audio.sample_rate;
    out.has_timings = true;
    for (Piece &p : results_) {
      if (p.audio.sample_rate != out.audio.sample_rate) {
        done_(AM_ERROR, provider_ + ": pieces came back at different sample rates", {});
        return;
      }
      double offset = out.audio.duration();
      out.has_timings = out.has_timings && p.has_timings;
      for (WordTiming w : p.words) {
        w.start += offset;
        w.end += offset;
        out.words.push_back(std::move(w));
      }
      out.audio.samples.insert(out.audio.samples.end(), p.audio.samples.begin(),
                               p.audio.samples.end());
    }
    if (!out.has_timings) out.words.clear();
    done_(AM_OK, {}, std::move(out));
  }

  void fail(am_status status, const std::string &message) {
    {
      std::lock_guard lock(mutex_);
      if (finished_) return;
    }
    abort();  // the other pieces are of no use now
    done_(status, message, {});
  }

  http::HttpClient &http_;
  std::string provider_;
  std::vector<SpeechText> texts_;
  std::vector<Piece> results_;
  ProviderDone done_;
  Decode decode_;
  std::atomic<size_t> remaining_{0};
  std::mutex mutex_;
  std::vector<uint64_t> ids_;
  bool finished_ = false;
};

http::Request json_post(std::string url, const json::object &body) {
  return http::json_post(std::move(url), body, http::Millis(180'000));
}

// The script's pieces, one per request; none, after telling `done` why, when there is no API key
// or nothing to speak.
std::vector<SpeechText> pieces_or_fail(const std::string &api_key,
                                       const std::string &no_key_message,
                                       const std::vector<ScriptWord> &words, size_t max_chars,
                                       size_t sentences_per_request, ProviderDone &done) {
  if (api_key.empty()) {
    done(AM_UNAUTHENTICATED, no_key_message, {});
    return {};
  }
  std::vector<SpeechText> pieces = split_for_requests(words, max_chars, sentences_per_request);
  if (pieces.empty()) done(AM_INVALID_ARGUMENT, "text: the script has no words to speak", {});
  return pieces;
}

class OpenAiSpeech : public SpeechProvider {
 public:
  OpenAiSpeech(http::HttpClient &http, OpenAiSpeechConfig c) : http_(http), c_(std::move(c)) {}
  std::string name() const override { return "openai"; }
  std::string identity(const ProviderRequest &r) const override {
    return c_.model + "|" + (r.voice.empty() ? c_.default_voice : r.voice) + "|wav";
  }
  std::string voices_json() const override {
    json::array out;
    for (const char *v : {"alloy", "ash", "ballad", "coral", "echo", "fable", "onyx", "nova",
                          "sage", "shimmer", "verse"})
      out.push_back(json::object{{"id", v}, {"name", v}, {"languages", json::array{"*"}}});
    return json::serialize(out);
  }

  std::function<void()> speak(am_job &job, const ProviderRequest &r, ProviderDone done) override {
    std::vector<ScriptWord> words = split_script(r.text);
    std::vector<SpeechText> pieces =
        pieces_or_fail(c_.api_key, "openai: no API key configured (OPENAI_API_KEY)", words,
                       c_.max_chars, c_.sentences_per_request, done);
    if (pieces.empty()) return [] {};
    auto run = std::make_shared<PieceRun>(http_, "openai", std::move(pieces), std::move(done));
    std::string voice = r.voice.empty() ? c_.default_voice : r.voice;
    auto make = [this, voice, speed = r.speed](const std::vector<SpeechText> &all, size_t i) {
      http::Request req = json_post(core::without_trailing_slashes(c_.base_url) + "/audio/speech",
                                    json::object{{"model", c_.model},
                                                 {"input", all[i].text},
                                                 {"voice", voice},
                                                 {"response_format", "wav"},
                                                 {"speed", speed}});
      req.headers.push_back({"Authorization", "Bearer " + c_.api_key});
      req.body_kind = http::BodyKind::audio;  // audio bytes: limits.downloads_mb.audio
      return req;
    };
    run->start(job, make, [](const http::Response &resp, const SpeechText &) {
      Piece p;
      p.audio = decode_wav(resp.body, "openai answer");
      return p;
    });
    return [run] { run->abort(); };
  }

 private:
  http::HttpClient &http_;
  OpenAiSpeechConfig c_;
};

std::vector<double> numbers(const json::value &v, const char *what) {
  std::vector<double> out;
  for (const json::value &x : v.as_array()) {
    if (!x.is_number()) throw SpeechError(what, "holds a non-number");
    out.push_back(x.to_number<double>());
  }
  return out;
}

class ElevenLabs : public SpeechProvider {
 public:
  ElevenLabs(http::HttpClient &http, ElevenLabsConfig c) : http_(http), c_(std::move(c)) {}
  std::string name() const override { return "elevenlabs"; }
  std::string identity(const ProviderRequest &r) const override {
    return c_.model + "|" + (r.voice.empty() ? c_.default_voice : r.voice) + "|pcm_22050";
  }
  std::string voices_json() const override {
    return json::serialize(json::array{json::object{
        {"id", c_.default_voice}, {"name", "default"}, {"languages", json::array{"*"}}}});
  }

  std::function<void()> speak(am_job &job, const ProviderRequest &r, ProviderDone done) override {
    auto words = std::make_shared<std::vector<ScriptWord>>(split_script(r.text));
    std::vector<SpeechText> pieces =
        pieces_or_fail(c_.api_key, "elevenlabs: no API key configured (ELEVENLABS_API_KEY)", *words,
                       c_.max_chars, c_.sentences_per_request, done);
    if (pieces.empty()) return [] {};
    auto run = std::make_shared<PieceRun>(http_, "elevenlabs", std::move(pieces), std::move(done));
    std::string voice = r.voice.empty() ? c_.default_voice : r.voice;
    auto make = [this, voice, speed = r.speed](const std::vector<SpeechText> &all, size_t i) {
      json::object body{{"text", all[i].text},
                        {"model_id", c_.model},
                        {"voice_settings", json::object{{"speed", speed}}}};
      if (c_.stitch && i > 0) body["previous_text"] = all[i - 1].text;
      if (c_.stitch && i + 1 < all.size()) body["next_text"] = all[i + 1].text;
      http::Request req =
          json_post(core::without_trailing_slashes(c_.base_url) + "/v1/text-to-speech/" + voice +
                        "/with-timestamps?output_format=pcm_22050",
                    body);
      req.headers.push_back({"xi-api-key", c_.api_key});
      req.body_kind = http::BodyKind::audio;  // audio bytes: limits.downloads_mb.audio
      return req;
    };
    run->start(job, make, [words](const http::Response &resp, const SpeechText &t) {
      json::value v = json::parse(resp.body);
      const json::object &o = v.as_object();
      const json::value *b64 = o.if_contains("audio_base64");
      if (!b64 || !b64->is_string()) throw SpeechError("audio_base64", "missing");
      auto pcm = http::base64_decode(b64->get_string());
      if (!pcm || pcm->size() % 2 != 0) throw SpeechError("audio_base64", "not base64 PCM");
      Piece p;
      p.audio.sample_rate = 22050;
      p.audio.samples.resize(pcm->size() / 2);
      for (size_t i = 0; i < p.audio.samples.size(); ++i)
        p.audio.samples[i] = static_cast<int16_t>(static_cast<uint8_t>((*pcm)[2 * i]) |
                                                  (static_cast<uint8_t>((*pcm)[2 * i + 1]) << 8));
      const json::value *al = o.if_contains("alignment");
      if (!al || al->is_null()) al = o.if_contains("normalized_alignment");
      if (al && al->is_object()) {
        const json::object &a = al->as_object();
        std::vector<std::string> chars;
        for (const json::value &c : a.at("characters").as_array())
          chars.emplace_back(c.as_string());
        p.words = words_from_characters(
            *words, t, chars,
            numbers(a.at("character_start_times_seconds"), "character_start_times_seconds"),
            numbers(a.at("character_end_times_seconds"), "character_end_times_seconds"));
        p.has_timings = !p.words.empty();
      }
      return p;
    });
    return [run] { run->abort(); };
  }

 private:
  http::HttpClient &http_;
  ElevenLabsConfig c_;
};

}  // namespace

std::unique_ptr<SpeechProvider> make_openai_speech_provider(http::HttpClient &http,
                                                            OpenAiSpeechConfig config) {
  return std::make_unique<OpenAiSpeech>(http, std::move(config));
}

std::unique_ptr<SpeechProvider> make_elevenlabs_provider(http::HttpClient &http,
                                                         ElevenLabsConfig config) {
  return std::make_unique<ElevenLabs>(http, std::move(config));
}

}  // namespace automuse::speech
