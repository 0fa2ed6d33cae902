// Which addresses a URL a user typed (a product link, say) may reach: public ones only, unless
// http.allow_private_addresses says otherwise. Checked on the address libcurl is about to
// connect to (and the one a reused connection has), after name resolution, so `localhost`,
// `127.1`, `0x7f000001`, `[::ffff:127.0.0.1]` and a redirect towards a LAN host all count
// for what they are.
#pragma once

#include <sys/socket.h>

#include <boost/asio/ip/address.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace automuse::http {

// What kind of non-public address `a` is ("loopback", "private", "link-local",
// "unique-local", "carrier-grade NAT", "multicast", "unspecified", "reserved"), or nullopt
// for a public one. IPv4-mapped and NAT64 IPv6 addresses are judged by their IPv4 address.
std::optional<std::string> non_public_kind(const boost::asio::ip::address &a);

// The address in a socket address (AF_INET or AF_INET6), else nullopt.
std::optional<boost::asio::ip::address> address_of(const sockaddr *sa);

// Who may reach what: every address when allow_private, else public ones and `also_allowed`.
struct AddressPolicy {
  bool allow_private = false;
  std::vector<boost::asio::ip::address> also_allowed;

  // Why connecting to `ip` for `url` is refused, or nullopt when it is allowed.
  std::optional<std::string> refusal(std::string_view ip, std::string_view url) const;
  std::optional<std::string> refusal(const boost::asio::ip::address &a, std::string_view url) const;
};

}  // namespace automuse::http
