// Helpers of the HTTP value types: see http_types.hpp.
#include "http/http_types.hpp"

#include <strings.h>

namespace automuse::http {

std::optional<std::string_view> find_header(const Headers &headers, std::string_view name) {
  for (const auto &h : headers) {
    if (h.name.size() == name.size() && strncasecmp(h.name.data(), name.data(), name.size()) == 0)
      return std::string_view(h.value);
  }
  return std::nullopt;
}

}  // namespace automuse::http
