// host/images/images_setup.hpp — the images service as automuse.json's "images" section
// configures it: the default provider (images.provider; "title-cards" is the cards' other
// name) tried first with the offline cards behind it, and the providers' settings under
// images.providers: openai / venice (OpenAI-compatible: api_key, model, base_url), gemini
// (api_key, model, base_url), pexels (api_key), folder (path). Keys fall back to
// OPENAI_API_KEY, VENICE_API_KEY, GEMINI_API_KEY, PEXELS_API_KEY.
#pragma once

#include <boost/json/value.hpp>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

namespace automuse::http {
class HttpClient;
}

namespace automuse::images {

class ImagesService;

using EnvLookup = std::function<const char *(const char *)>;

// The order a request without one gets: the configured provider, then "cards" (the offline
// fallback that always works). Throws am::error naming "images.provider" for an unknown one.
std::vector<std::string> default_image_order(const boost::json::value *section);

// Adds openai, gemini and pexels (without a key they fail clearly when used), venice when
// configured or its key is set, and folder when images.providers.folder.path is set.
// `section` has its {"env": ...} references resolved; nullptr = none. Throws am::error
// naming the bad key.
void add_configured_image_providers(ImagesService &service, http::HttpClient &http,
                                    const boost::json::value *section,
                                    const EnvLookup &env = ::getenv);

}  // namespace automuse::images
