// The size caps of what crosses the network edge (automuse.json's limits section): which cap
// a response body falls under, the numbers servers announce (Content-Length) read with range
// checks, and the errors that name the host and the setting to raise.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/http_types.hpp"

namespace automuse::http {

// The cap of `request`'s response body: its own body_limit, else its kind's, else the memory
// cap (bodies held in memory) or the file cap (bodies saved to a file); a data body streamed
// to a callback has none of its own.
const BodyLimit &response_limit(const BodyLimits &limits, const Request &request);

// A Content-Length value: digits only, within uint64_t; nullopt for anything else.
std::optional<uint64_t> parse_content_length(std::string_view value);

// The whole size of the upload a request starts or continues, where the request says it: a
// resumable session's X-Upload-Content-Length, or the total of a chunk's Content-Range
// ("bytes 0-262143/1048576", "bytes */1048576"). Parsed with range checks; nullopt when
// neither is there or readable.
std::optional<uint64_t> declared_upload_size(const Headers &headers);

// The host of `url` ("api.openai.com"), or the URL redacted when it has none.
std::string host_of(std::string_view url);

// "the response from HOST (declares|passed) N bytes, more than limits.x (M MB) allows; raise
// limits.x in automuse.json to accept it".
std::string response_too_large(const BodyLimit &limit, std::string_view url, uint64_t bytes,
                               bool declared);

// Why `request` may not be sent under the upload cap, if it may not: its own body (of
// `body_size` bytes) or the whole upload it declares (declared_upload_size) is larger.
std::optional<std::string> upload_refusal(const BodyLimit &cap, const Request &request,
                                          uint64_t body_size);

}  // namespace automuse::http
