// tests/support/fake_secrets.hpp — every secret the loopback fakes accept or hand out, in one
// place: the fixed API keys they check, and the prefixes of the tokens they make up at run time
// (a prefix followed by random token characters). The fakes use these constants; the test-log
// scan (tests/log/log_scan.hpp) looks for each in every log the suite wrote.
#pragma once

#include <array>
#include <string_view>

namespace automuse::testing::fake_secrets {

struct Secret {
  std::string_view name;   // what a report says instead of the value
  std::string_view value;  // the exact value
};

// Keys the fakes check (FakeImageApis, FakeSpeechApis, FakeOpenAi, FakeTikTok's client secret,
// the Instagram app secret the Instagram plugin's tests give FakeInstagram).
inline constexpr std::string_view kImagesOpenAiKey = "sk-test-images-0123456789";
inline constexpr std::string_view kImagesGeminiKey = "AIza-test-0123456789";
inline constexpr std::string_view kImagesPexelsKey = "pexels-test-0123456789";
inline constexpr std::string_view kSpeechOpenAiKey = "sk-test-openai-0123456789";
inline constexpr std::string_view kSpeechElevenLabsKey = "xi-test-key-0123456789";
inline constexpr std::string_view kLlmOpenAiKey = "sk-test-0123456789";
inline constexpr std::string_view kTikTokClientSecret = "fake-tiktok-client-secret-0123456789";
inline constexpr std::string_view kInstagramAppSecret = "fake-instagram-app-secret-0123456789";

inline constexpr std::array<Secret, 8> kKeys{{
    {"images OpenAI key", kImagesOpenAiKey},
    {"images Gemini key", kImagesGeminiKey},
    {"images Pexels key", kImagesPexelsKey},
    {"speech OpenAI key", kSpeechOpenAiKey},
    {"speech ElevenLabs key", kSpeechElevenLabsKey},
    {"LLM OpenAI key", kLlmOpenAiKey},
    {"TikTok client secret", kTikTokClientSecret},
    {"Instagram app secret", kInstagramAppSecret},
}};

// Prefixes of the tokens FakeOAuth (Google's and X's shapes), FakeTikTok and FakeInstagram
// issue; the rest is random.
inline constexpr std::string_view kGoogleAccessPrefix = "ya29.";
inline constexpr std::string_view kGoogleRefreshPrefix = "1//";
inline constexpr std::string_view kXAccessPrefix = "at-";
inline constexpr std::string_view kXRefreshPrefix = "rt-";
inline constexpr std::string_view kTikTokAccessPrefix = "act.";
inline constexpr std::string_view kTikTokRefreshPrefix = "rft.";
inline constexpr std::string_view kInstagramShortPrefix = "IGQ";
inline constexpr std::string_view kInstagramLongPrefix = "IGAA";

inline constexpr std::array<Secret, 8> kTokenPrefixes{{
    {"Google access token", kGoogleAccessPrefix},
    {"Google refresh token", kGoogleRefreshPrefix},
    {"X access token", kXAccessPrefix},
    {"X refresh token", kXRefreshPrefix},
    {"TikTok access token", kTikTokAccessPrefix},
    {"TikTok refresh token", kTikTokRefreshPrefix},
    {"Instagram short-lived token", kInstagramShortPrefix},
    {"Instagram long-lived token", kInstagramLongPrefix},
}};

// How many random characters after a prefix make a token (FakeOAuth's are 24 or more).
inline constexpr size_t kTokenTailLength = 16;

}  // namespace automuse::testing::fake_secrets
