// host/speech/espeak_provider.cpp — the espeak-ng provider: a script is handled on the job's
// worker pool, its sentences spoken at once by the espeak-ng worker processes
// (espeak_pool.hpp).
#include <boost/asio/post.hpp>
#include <boost/json.hpp>

#include "core/job.hpp"
#include "speech/espeak_engine.hpp"
#include "speech/speech_provider.hpp"
#include "speech/synthesizer.hpp"

namespace automuse::speech {

am_status status_for(const SpeechError &e) {
  const std::string &f = e.field();
  if (f == "text" || f == "language" || f == "voice" || f == "rate" || f == "pitch" ||
      f == "speed" || f == "provider" || f.rfind("words", 0) == 0 || f.rfind("style", 0) == 0 ||
      f.rfind("options", 0) == 0)
    return AM_INVALID_ARGUMENT;
  if (f.find('/') != std::string::npos) return AM_IO;  // a file path
  return AM_ERROR;
}

namespace {

class EspeakProvider : public SpeechProvider {
 public:
  explicit EspeakProvider(unsigned parallel) : parallel_(parallel) {}
  std::string name() const override { return "espeak"; }

  std::string identity(const ProviderRequest &r) const override {
    return "espeak-ng 1|" + r.language + "|" + r.voice + "|" + std::to_string(r.rate) + "|" +
           std::to_string(r.pitch);
  }

  std::function<void()> speak(am_job &job, const ProviderRequest &r, ProviderDone done) override {
    auto aborted = std::make_shared<std::atomic<bool>>(false);
    boost::asio::post(job.workers(), [r, done, aborted, parallel = parallel_] {
      if (aborted->load()) return;
      SynthesisOptions o;
      o.language = r.language;
      o.voice = r.voice;
      o.rate = r.rate;
      o.pitch = r.pitch;
      o.parallel = parallel;
      try {
        Speech s = synthesize_script(r.text, o);
        done(AM_OK, {}, ProviderAudio{std::move(s.audio), std::move(s.words), true});
      } catch (const SpeechError &e) {
        done(status_for(e), e.what(), {});
      } catch (const std::exception &e) {
        done(AM_INTERNAL, e.what(), {});
      }
    });
    return [aborted] { aborted->store(true); };
  }

  std::string voices_json() const override {
    namespace json = boost::json;
    json::array out;
    for (const EspeakVoice &v : EspeakEngine::instance().voices()) {
      json::array langs;
      for (const auto &l : v.languages) langs.push_back(json::string(l));
      out.push_back(json::object{{"id", v.identifier}, {"name", v.name}, {"languages", langs}});
    }
    return json::serialize(out);
  }

 private:
  unsigned parallel_;
};

}  // namespace

std::unique_ptr<SpeechProvider> make_espeak_provider(unsigned parallel) {
  return std::make_unique<EspeakProvider>(parallel);
}

}  // namespace automuse::speech
