// host/web/host_check.cpp — Host header parsing and the allow rule.
#include "web/host_check.hpp"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <cctype>

namespace automuse::web {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool is_ip_literal(std::string_view name) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(std::string(name), ec);
  return !ec;
}

}  // namespace

bool host_allowed(std::string_view host, uint16_t port, const std::vector<std::string> &names) {
  if (host.empty() || host.size() > 255) return false;
  std::string_view name = host, port_text;
  if (host.front() == '[') {  // [v6]:port
    const size_t close = host.find(']');
    if (close == std::string_view::npos) return false;
    name = host.substr(1, close - 1);
    std::string_view rest = host.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return false;
    if (!rest.empty()) port_text = rest.substr(1);
    if (!is_ip_literal(name)) return false;
  } else if (const size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    name = host.substr(0, colon);
    port_text = host.substr(colon + 1);
  }
  const std::string expected = std::to_string(port);
  if (port_text.empty() ? port != 80 : port_text != expected) return false;
  if (name.empty()) return false;
  if (is_ip_literal(name) || same_name(name, "localhost")) return true;
  return std::any_of(names.begin(), names.end(),
                     [&](const std::string &n) { return same_name(name, n); });
}

}  // namespace automuse::web
