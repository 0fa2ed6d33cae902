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
  core::ProviderSettings oa(section, "images", "openai");
  OpenAiImagesConfig o;
  o.base_url = oa.text("base_url", o.base_url);
  o.model = oa.text("model", o.model);
  o.api_key = oa.api_key("OPENAI_API_KEY", env);
  service.add_provider(make_openai_images_provider(http, o));

  // Venice speaks the OpenAI images protocol at its own address.
  core::ProviderSettings ve(section, "images", "venice");
  OpenAiImagesConfig v;
  v.name = "venice";
  v.base_url = ve.text("base_url", "https://api.venice.ai/api/v1");
  v.model = ve.text("model", "hidream");
  v.api_key = ve.api_key("VENICE_API_KEY", env);
  if (ve.configured() || !v.api_key.empty())
    service.add_provider(make_openai_images_provider(http, v));

  core::ProviderSettings ge(section, "images", "gemini");
  GeminiImagesConfig g;
  g.base_url = ge.text("base_url", g.base_url);
  g.model = ge.text("model", g.model);
  g.api_key = ge.api_key("GEMINI_API_KEY", env);
  service.add_provider(make_gemini_images_provider(http, g));

  core::ProviderSettings px(section, "images", "pexels");
  PexelsConfig p;
  p.base_url = px.text("base_url", p.base_url);
  p.api_key = px.api_key("PEXELS_API_KEY", env);
  service.add_provider(make_pexels_provider(http, p));

  std::string path = core::ProviderSettings(section, "images", "folder").text("path", "");
  if (!path.empty()) service.add_provider(make_folder_provider(path));
}

}  // namespace automuse::images
