// tests/support/speech/fake_speech_apis.cpp — the fake OpenAI speech and ElevenLabs endpoints.
#include "support/speech/fake_speech_apis.hpp"

#include <boost/json.hpp>

#include "speech/pcm_audio.hpp"
#include "support/encoding.hpp"

namespace automuse::testing {

namespace json = boost::json;

namespace {

Reply openai_error(unsigned status, const std::string &message, const std::string &type,
                   const std::string &code) {
  return Reply::json(json::value(json::object{
                         {"error", json::object{{"message", message},
                                                {"type", type},
                                                {"param", nullptr},
                                                {"code", code.empty() ? json::value(nullptr)
                                                                      : json::value(code)}}}}),
                     status);
}

}  // namespace

FakeSpeechApis::FakeSpeechApis(FakeServer &server) {
  server.route("POST", "/v1/audio/speech", [this](const ReceivedRequest &r) { return openai(r); });
  server.route("POST", "/v1/text-to-speech/*",
               [this](const ReceivedRequest &r) { return eleven(r); });
}

void FakeSpeechApis::fail_openai_next(int n, Reply reply) {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < n; ++i) openai_faults_.push_back(reply);
}

void FakeSpeechApis::fail_eleven_next(int n, Reply reply) {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < n; ++i) eleven_faults_.push_back(reply);
}

std::optional<Reply> FakeSpeechApis::injected(std::vector<Reply> &queue) {
  std::lock_guard lock(mutex_);
  if (queue.empty()) return std::nullopt;
  Reply r = queue.front();
  queue.erase(queue.begin());
  return r;
}

speech::Speech FakeSpeechApis::truth(const std::string &input) const {
  std::lock_guard lock(mutex_);
  auto it = spoken_.find(input);
  return it == spoken_.end() ? speech::Speech{} : it->second;
}

Reply FakeSpeechApis::openai(const ReceivedRequest &req) {
  {
    std::lock_guard lock(mutex_);
    ++openai_count_;
  }
  if (req.header("Authorization") != std::string("Bearer ") + kOpenAiKey)
    return openai_error(401, "Incorrect API key provided.", "invalid_request_error",
                        "invalid_api_key");
  if (auto fault = injected(openai_faults_)) return *fault;
  json::value body;
  try {
    body = req.json();
  } catch (const std::exception &) {
    return openai_error(400, "We could not parse the JSON body of your request.",
                        "invalid_request_error", "");
  }
  const json::object *o = body.if_object();
  for (const char *field : {"model", "input", "voice"})
    if (!o || !o->contains(field) || !o->at(field).is_string())
      return openai_error(400, std::string("Missing required parameter: '") + field + "'.",
                          "invalid_request_error", "missing_required_parameter");
  std::string input(o->at("input").as_string());
  if (input.size() > 4096)
    return openai_error(400, "string too long: input must be at most 4096 characters",
                        "invalid_request_error", "string_above_max_length");
  if (o->contains("response_format") && o->at("response_format") != "wav")
    return openai_error(400, "this fake only speaks wav", "invalid_request_error", "");
  speech::SynthesisOptions voice;
  voice.rate = kSpeakingRate;
  voice.voice = "en-us";
  speech::Speech s = speech::synthesize_script(input, voice);
  std::string wav = speech::encode_wav(s.audio);
  {
    std::lock_guard lock(mutex_);
    spoken_[input] = s;
  }
  // Streamed like the real endpoint: chunked, with "unknown" RIFF and data sizes.
  for (size_t at : {size_t{4}, size_t{40}})
    for (int i = 0; i < 4; ++i) wav[at + i] = '\xff';
  std::vector<std::string> parts;
  for (size_t at = 0; at < wav.size(); at += 16384) parts.push_back(wav.substr(at, 16384));
  return Reply::chunked(parts, Ms(0), "audio/wav").with_latency(openai_latency_);
}

Reply FakeSpeechApis::eleven(const ReceivedRequest &req) {
  if (req.header("xi-api-key") != std::string(kElevenKey))
    return Reply::json(
        json::value(json::object{{"detail", json::object{{"status", "invalid_api_key"},
                                                         {"message", "Invalid API key"}}}}),
        401);
  if (auto fault = injected(eleven_faults_)) return *fault;
  if (req.path.size() < 40 || req.path.rfind("/with-timestamps") != req.path.size() - 16)
    return Reply::json(R"({"detail":"Not Found"})", 404);
  if (req.query_param("output_format") != std::string("pcm_22050"))
    return Reply::json(R"({"detail":{"status":"invalid_output_format","message":"bad"}})", 422);
  json::value body;
  try {
    body = req.json();
  } catch (const std::exception &) {
    return Reply::json(R"({"detail":"Invalid JSON"})", 400);
  }
  const json::object *o = body.if_object();
  if (!o || !o->contains("text") || !o->at("text").is_string())
    return Reply::json(
        R"({"detail":[{"loc":["body","text"],"msg":"field required","type":"value_error"}]})", 422);
  for (const char *optional : {"previous_text", "next_text", "model_id"})
    if (o->contains(optional) && !o->at(optional).is_string())
      return Reply::json(std::string(R"({"detail":[{"loc":["body",")") + optional +
                             R"("],"msg":"str type expected","type":"type_error.str"}]})",
                         422);
  std::string text(o->at("text").as_string());
  speech::SynthesisOptions voice;
  voice.rate = kSpeakingRate;
  voice.voice = "en-us";
  speech::Speech s = speech::synthesize_script(text, voice);
  {
    std::lock_guard lock(mutex_);
    spoken_[text] = s;
  }
  // Character times: each word's time shared evenly by its characters, the gaps by spaces.
  json::array chars, starts, ends;
  size_t at = 0;
  double prev_end = 0;
  for (const auto &w : s.words) {
    for (; at < w.begin; ++at) {  // spaces (ASCII test texts: bytes are characters)
      chars.push_back(json::string(text.substr(at, 1)));
      starts.push_back(prev_end);
      ends.push_back(w.start);
    }
    size_t n = w.end_offset - w.begin;
    for (size_t k = 0; k < n; ++k, ++at) {
      chars.push_back(json::string(text.substr(at, 1)));
      starts.push_back(w.start +
                       (w.end - w.start) * static_cast<double>(k) / static_cast<double>(n));
      ends.push_back(w.start +
                     (w.end - w.start) * static_cast<double>(k + 1) / static_cast<double>(n));
    }
    prev_end = w.end;
  }
  if (broken_alignment_) ends.pop_back();
  std::string pcm;
  for (int16_t v : s.audio.samples) {
    pcm.push_back(static_cast<char>(v & 0xff));
    pcm.push_back(static_cast<char>((v >> 8) & 0xff));
  }
  json::object alignment{{"characters", chars},
                         {"character_start_times_seconds", starts},
                         {"character_end_times_seconds", ends}};
  return Reply::json(json::value(json::object{{"audio_base64", base64(pcm)},
                                              {"alignment", alignment},
                                              {"normalized_alignment", alignment}}));
}

}  // namespace automuse::testing
