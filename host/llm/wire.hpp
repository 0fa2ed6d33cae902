// host/llm/wire.hpp — the two chat wire protocols (docs/protocols/openai.md, ollama.md): request
// bodies per provider, non-streaming answers, streamed answers (SSE for OpenAI-compatible servers,
// NDJSON for Ollama's native /api/chat) and error responses turned into a status with a
// message that names the provider and says what to fix.
#pragma once

#include <boost/json/value.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "http/http_types.hpp"
#include "llm/llm_types.hpp"
#include "llm/provider.hpp"

namespace automuse::llm {

// The JSON body of a chat request to `provider` (its model already chosen).
std::string build_chat_body(const Provider &provider, const ChatRequest &request);

// A whole (non-streamed) 2xx answer. Throws am::error(AM_ERROR) naming the provider when the
// body is not the documented shape.
ChatResult parse_chat_answer(const Provider &provider, std::string_view body);

// Decodes a streamed answer as its bytes arrive, in pieces of any size.
class StreamDecoder {
 public:
  using DeltaFn = std::function<void(std::string_view)>;
  StreamDecoder(const Provider &provider, DeltaFn on_delta);

  // Feed bytes. Throws am::error when the stream carries an error event or bad JSON.
  void feed(std::string_view bytes);
  // The stream ended: flushes a last unterminated line. Throws am::error if the answer never
  // began or ended without its end marker ([DONE], done:true or a finish_reason).
  ChatResult finish();

  // Anything delivered to on_delta yet.
  bool delivered() const { return delivered_; }

 private:
  void line(std::string_view line);
  void sse_event(std::string_view data);
  void ndjson_line(std::string_view line);
  // One event's JSON; throws am::error for bad JSON or an error event.
  boost::json::value event(std::string_view text, const char *what);

  const Provider &provider_;
  DeltaFn on_delta_;
  std::string buffer_;
  std::string sse_data_;
  ChatResult result_;
  bool done_ = false;  // [DONE] or done:true seen
  bool any_event_ = false;
  bool delivered_ = false;
};

// What an error response or a transport failure means.
struct Failure {
  am_status status = AM_ERROR;
  std::string message;               // for the user: provider, what happened, what to do
  bool retry = false;                // worth another attempt (rate limit, overload)
  bool server_wait_allowed = false;  // honour the server's Retry-After
};

// A non-2xx HTTP answer from `url`.
Failure classify_http_error(const Provider &provider, const std::string &url, long http_status,
                            std::string_view body);
// A request that got no HTTP answer (connection refused, DNS, timeout).
Failure classify_transport_error(const Provider &provider, const std::string &url, am_status status,
                                 const std::string &error);

// A rough token count for text whose usage the provider did not report (about 4 characters
// per token for English).
int64_t estimate_tokens(std::string_view text);

}  // namespace automuse::llm
