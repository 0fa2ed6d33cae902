// host/web/host_check.hpp — the Host header check against DNS rebinding: a page on another
// site whose name an attacker points at 127.0.0.1 reaches the server with its own name in
// Host. Allowed: an IP literal, "localhost", or a name given with --allow-host; the port must
// be the one the server listens on.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace automuse::web {

bool host_allowed(std::string_view host_header, uint16_t port,
                  const std::vector<std::string> &allowed_names);

}  // namespace automuse::web
