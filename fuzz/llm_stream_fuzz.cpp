// fuzz/llm_stream_fuzz.cpp — streamed LLM answers (host/llm/wire.cpp's StreamDecoder): SSE for
// OpenAI-compatible servers, NDJSON for Ollama. The first byte picks the protocol (bit 0) and
// a piece size (the other bits); the rest is the stream. Invariants: decoding it in one piece
// and in pieces of that size gives the same answer or the same error, and the deltas handed
// out add up to the answer; token counts are never negative.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "llm/wire.hpp"

using namespace automuse::llm;

namespace {

struct Outcome {
  std::string deltas;
  std::string error;  // empty when the stream decoded
  ChatResult result;
};

Outcome decode(const Provider &provider, std::string_view stream, size_t piece) {
  Outcome out;
  StreamDecoder decoder(provider, [&](std::string_view d) { out.deltas.append(d); });
  try {
    for (size_t at = 0; at < stream.size(); at += piece) decoder.feed(stream.substr(at, piece));
    out.result = decoder.finish();
  } catch (const std::exception &e) {
    out.error = e.what();
    FUZZ_CHECK(!out.error.empty(), "an error says why");
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  Provider provider;
  provider.name = "fuzz";
  provider.model = "model";
  provider.api = (data[0] & 1) ? Api::ollama : Api::openai;
  const size_t piece = 1 + (data[0] >> 1);
  const std::string_view stream(reinterpret_cast<const char *>(data + 1), size - 1);

  const Outcome whole = decode(provider, stream, stream.size() + 1);
  const Outcome pieces = decode(provider, stream, piece);
  FUZZ_CHECK(whole.error == pieces.error, "the same error whatever the piece size");
  FUZZ_CHECK(whole.deltas == pieces.deltas, "the same deltas whatever the piece size");
  if (whole.error.empty()) {
    FUZZ_CHECK(whole.result.content == pieces.result.content, "the same answer");
    FUZZ_CHECK(whole.result.finish_reason == pieces.result.finish_reason, "the same ending");
    FUZZ_CHECK(whole.result.usage.prompt_tokens == pieces.result.usage.prompt_tokens &&
                   whole.result.usage.completion_tokens == pieces.result.usage.completion_tokens,
               "the same usage");
    FUZZ_CHECK(whole.deltas == whole.result.content, "the deltas add up to the answer");
    FUZZ_CHECK(whole.result.usage.prompt_tokens >= 0 && whole.result.usage.completion_tokens >= 0,
               "token counts are never negative");
  }
  return 0;
}
