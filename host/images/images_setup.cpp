// host/images/images_setup.cpp — image providers from the configuration.
#include "images/images_setup.hpp"

#include <automuse/cpp/error.hpp>
#include <boost/json.hpp>

#include "core/provider_settings.hpp"
#include "images/image_provider.hpp"
#include "images/images_service.hpp"
#include "images/remote_images.hpp"

namespace automuse::images {

namespace json = boost::json;

std::vector<std::string> default_image_order(const json::value *section) {
  const json::value *v =
      section && section->is_object() ? section->as_object().if_contains("provider") : nullptr;
  if (!v || v->is_null()) return {"cards"};
  if (!v->is_string()) throw am::error(AM_INVALID_ARGUMENT, "images.provider: must be a string");
  std::string name(v->get_string());
  if (name == "title-cards" || name == "cards") return {"cards"};
  for (const char *known : {"openai", "venice", "gemini", "pexels", "folder"})
    if (name == known) return {name, "cards"};
  throw am::error(AM_INVALID_ARGUMENT,
                  "images.provider: unknown provider '" + name +
                      "' (available: title-cards, folder, openai, venice, gemini, pexels)");
}

void add_configured_image_providers(ImagesService &service, http::HttpClient &http,
                                    const json::value *section, const EnvLookup &env) {
  auto settings = [&](const char *name) {
    return core::ProviderSettings(section, "images.providers", name);
  };
  service.add_provider(make_openai_images_provider(
      http, settings("openai").endpoint(OpenAiImagesConfig{}, "OPENAI_API_KEY", env)));

  // Venice speaks the OpenAI images protocol at its own address.
  OpenAiImagesConfig venice_defaults;
  venice_defaults.name = "venice";
  venice_defaults.base_url = "https://api.venice.ai/api/v1";
  venice_defaults.model = "hidream";
  core::ProviderSettings venice = settings("venice");
  OpenAiImagesConfig v = venice.endpoint(venice_defaults, "VENICE_API_KEY", env);
  if (venice.configured() || !v.api_key.empty())
    service.add_provider(make_openai_images_provider(http, v));

  service.add_provider(make_gemini_images_provider(
      http, settings("gemini").endpoint(GeminiImagesConfig{}, "GEMINI_API_KEY", env)));
  service.add_provider(make_pexels_provider(
      http, settings("pexels").endpoint(PexelsConfig{}, "PEXELS_API_KEY", env)));

  std::string path = settings("folder").text("path", "");
  if (!path.empty()) service.add_provider(make_folder_provider(path));
}

}  // namespace automuse::images
