// host/http/provider_failure.hpp — a remote provider's failed answer as a status and a message
// for the user: the message names the provider and quotes the provider's own explanation, never
// the request (keys stay out of it).
#pragma once

#include <automuse/types.h>

#include <string>
#include <utility>

#include "http/http_types.hpp"

namespace automuse::http {

// Understands the error bodies of the providers the host talks to: {"error":{"message",
// "code"}} (OpenAI, Gemini), {"error":"..."} (Pexels), {"detail":"..."|{"message","status"}}
// (ElevenLabs); anything else is quoted (its first 200 bytes). A quota code ("insufficient_quota",
// "quota_exceeded") is told apart from a plain 429 (status_of_http_error).
std::pair<am_status, std::string> provider_failure(const std::string &provider,
                                                   const Response &response);

}  // namespace automuse::http
