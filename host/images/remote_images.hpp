// host/images/remote_images.hpp — the network image providers, through the host's HTTP
// service: OpenAI-compatible image generation (OpenAI itself, or Venice and others by base
// URL; base64 or URL answers), Gemini image generation, and Pexels stock photos and portrait
// video clips. Each writes the file into the service's output folder; the service checks it.
#pragma once

#include <memory>
#include <string>

#include "images/image_provider.hpp"

namespace automuse::http {
class HttpClient;
}

namespace automuse::images {

struct OpenAiImagesConfig {
  std::string name = "openai";  // "venice" for Venice's OpenAI-compatible endpoint
  std::string base_url = "https://api.openai.com/v1";
  std::string api_key;
  std::string model = "gpt-image-1";
};

struct GeminiImagesConfig {
  std::string base_url = "https://generativelanguage.googleapis.com/v1beta";
  std::string api_key;
  std::string model = "gemini-2.5-flash-image";
};

struct PexelsConfig {
  std::string base_url = "https://api.pexels.com";
  std::string api_key;
  int per_page = 15;
};

// `http` must outlive the providers.
std::unique_ptr<ImageProvider> make_openai_images_provider(http::HttpClient &http,
                                                           OpenAiImagesConfig config);
std::unique_ptr<ImageProvider> make_gemini_images_provider(http::HttpClient &http,
                                                           GeminiImagesConfig config);
std::unique_ptr<ImageProvider> make_pexels_provider(http::HttpClient &http, PexelsConfig config);

// The portrait size string an OpenAI-compatible model accepts for a portrait request.
std::string openai_size_for(const std::string &model, int width, int height);

}  // namespace automuse::images
