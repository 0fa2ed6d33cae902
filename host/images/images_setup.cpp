// host/images/images_setup.cpp — image providers from the configuration.
#include "images/images_setup.hpp"

#include <automuse/cpp/error.hpp>
#include <boost/json.hpp>

#include "images/image_provider.hpp"
#include "images/images_service.hpp"
#include "images/remote_images.hpp"

namespace automuse::images {

namespace json = boost::json;

namespace {

const json::object *provider_section(const json::value *section, const char *name) {
  if (!section || !section->is_object()) return nullptr;
  const json::value *p = section->as_object().if_contains("providers");
  if (!p || !p->is_object()) return nullptr;
  const json::value *v = p->as_object().if_contains(name);
  return v && v->is_object() ? &v->as_object() : nullptr;
}

std::string setting(const json::object *o, const char *provider, const char *key,
                    std::string fallback) {
  if (!o) return fallback;
  const json::value *v = o->if_contains(key);
  if (!v || v->is_null()) return fallback;
  if (!v->is_string())
    throw am::error(AM_INVALID_ARGUMENT,
                    std::string("images.providers.") + provider + "." + key + ": must be a string");
  return std::string(v->get_string());
}

std::string key_for(const json::object *o, const char *provider, const char *variable,
                    const EnvLookup &env) {
  std::string key = setting(o, provider, "api_key", "");
  if (key.empty() && env)
    if (const char *v = env(variable)) key = v;
  return key;
}

}  // namespace

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
  const json::object *oa = provider_section(section, "openai");
  OpenAiImagesConfig o;
  o.base_url = setting(oa, "openai", "base_url", o.base_url);
  o.model = setting(oa, "openai", "model", o.model);
  o.api_key = key_for(oa, "openai", "OPENAI_API_KEY", env);
  service.add_provider(make_openai_images_provider(http, o));

  // Venice speaks the OpenAI images protocol at its own address.
  const json::object *ve = provider_section(section, "venice");
  OpenAiImagesConfig v;
  v.name = "venice";
  v.base_url = setting(ve, "venice", "base_url", "https://api.venice.ai/api/v1");
  v.model = setting(ve, "venice", "model", "hidream");
  v.api_key = key_for(ve, "venice", "VENICE_API_KEY", env);
  if (ve || !v.api_key.empty()) service.add_provider(make_openai_images_provider(http, v));

  const json::object *ge = provider_section(section, "gemini");
  GeminiImagesConfig g;
  g.base_url = setting(ge, "gemini", "base_url", g.base_url);
  g.model = setting(ge, "gemini", "model", g.model);
  g.api_key = key_for(ge, "gemini", "GEMINI_API_KEY", env);
  service.add_provider(make_gemini_images_provider(http, g));

  const json::object *px = provider_section(section, "pexels");
  PexelsConfig p;
  p.base_url = setting(px, "pexels", "base_url", p.base_url);
  p.api_key = key_for(px, "pexels", "PEXELS_API_KEY", env);
  service.add_provider(make_pexels_provider(http, p));

  const json::object *fo = provider_section(section, "folder");
  std::string path = setting(fo, "folder", "path", "");
  if (!path.empty()) service.add_provider(make_folder_provider(path));
}

}  // namespace automuse::images
