// Public-address checks for user-given URLs: see address_policy.hpp.
#include "http/address_policy.hpp"

#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "http/redact.hpp"

namespace automuse::http {
namespace ip = boost::asio::ip;

namespace {

struct Block {
  uint32_t network;
  int prefix;
  const char *kind;
};

std::optional<std::string> v4_kind(const ip::address_v4 &a) {
  static constexpr std::array<Block, 11> kBlocks = {{
      {0x00000000, 8, "unspecified"},         // 0.0.0.0/8, "this network"
      {0x0A000000, 8, "private"},             // 10/8
      {0x64400000, 10, "carrier-grade NAT"},  // 100.64/10
      {0x7F000000, 8, "loopback"},            // 127/8
      {0xA9FE0000, 16, "link-local"},         // 169.254/16
      {0xAC100000, 12, "private"},            // 172.16/12
      {0xC0000000, 24, "reserved"},           // 192.0.0/24, IETF protocol assignments
      {0xC0A80000, 16, "private"},            // 192.168/16
      {0xC6120000, 15, "reserved"},           // 198.18/15, benchmarking
      {0xE0000000, 4, "multicast"},           // 224/4
      {0xF0000000, 4, "reserved"},            // 240/4 and the broadcast address
  }};
  const uint32_t bits = a.to_uint();
  for (const Block &b : kBlocks) {
    const uint32_t mask = ~uint32_t(0) << (32 - b.prefix);
    if ((bits & mask) == b.network) return std::string(b.kind);
  }
  return std::nullopt;
}

std::optional<std::string> v6_kind(const ip::address_v6 &a) {
  const auto bytes = a.to_bytes();
  if (a.is_v4_mapped()) return v4_kind(ip::make_address_v4(ip::v4_mapped, a));
  // NAT64 (64:ff9b::/96) reaches the IPv4 address in its last 32 bits.
  static constexpr std::array<unsigned char, 12> kNat64 = {0, 0x64, 0xff, 0x9b};
  if (std::equal(kNat64.begin(), kNat64.end(), bytes.begin()))
    return v4_kind(ip::address_v4({bytes[12], bytes[13], bytes[14], bytes[15]}));
  if (a.is_loopback()) return "loopback";
  if (a.is_unspecified()) return "unspecified";
  if (a.is_link_local()) return "link-local";
  if (a.is_site_local()) return "private";  // fec0::/10, deprecated site-local
  if (a.is_multicast()) return "multicast";
  if ((bytes[0] & 0xfe) == 0xfc) return "unique-local";  // fc00::/7
  // ::/96 (the deprecated IPv4-compatible form) is not routed publicly either.
  if (std::all_of(bytes.begin(), bytes.begin() + 12, [](unsigned char c) { return c == 0; }))
    return "reserved";
  return std::nullopt;
}

}  // namespace

std::optional<std::string> non_public_kind(const ip::address &a) {
  return a.is_v4() ? v4_kind(a.to_v4()) : v6_kind(a.to_v6());
}

std::optional<ip::address> address_of(const sockaddr *sa) {
  if (sa->sa_family == AF_INET) {
    sockaddr_in in;
    std::memcpy(&in, sa, sizeof in);
    return ip::address_v4(ntohl(in.sin_addr.s_addr));
  }
  if (sa->sa_family == AF_INET6) {
    sockaddr_in6 in6;
    std::memcpy(&in6, sa, sizeof in6);
    ip::address_v6::bytes_type bytes;
    std::memcpy(bytes.data(), &in6.sin6_addr, bytes.size());
    return ip::address_v6(bytes);
  }
  return std::nullopt;
}

std::optional<std::string> AddressPolicy::refusal(std::string_view ip_text,
                                                  std::string_view url) const {
  boost::system::error_code ec;
  ip::address a = ip::make_address(std::string(ip_text), ec);
  if (ec)
    return "refused to connect for the user-given URL " + redact_url(url) +
           ": cannot tell which address '" + std::string(ip_text) + "' is";
  return refusal(a, url);
}

std::optional<std::string> AddressPolicy::refusal(const ip::address &a,
                                                  std::string_view url) const {
  if (allow_private) return std::nullopt;
  auto kind = non_public_kind(a);
  if (!kind || std::find(also_allowed.begin(), also_allowed.end(), a) != also_allowed.end())
    return std::nullopt;
  return "refused to connect to " + a.to_string() + " (a " + *kind +
         " address) for the user-given URL " + redact_url(url) +
         ": such URLs may reach public addresses only (set http.allow_private_addresses to "
         "true in automuse.json to allow it)";
}

}  // namespace automuse::http
