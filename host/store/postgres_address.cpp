// host/store/postgres_address.cpp — store.url checked with libpq's parser (see
// postgres_address.hpp).
#include "store/postgres_address.hpp"

#include <libpq-fe.h>

#include <boost/url/parse.hpp>
#include <memory>
#include <regex>

#include "log/redaction.hpp"
#include "store/database.hpp"

namespace automuse::store {
namespace {

// The password of a string libpq could not parse, found the simple way, so that the error
// about it can still leave it out.
std::string guess_password(const std::string &url) {
  if (auto uri = boost::urls::parse_uri(url); uri && uri->has_password()) return uri->password();
  std::smatch m;
  static const std::regex kKeyword(R"(password\s*=\s*('(?:[^'\\]|\\.)*'|\S+))");
  if (std::regex_search(url, m, kKeyword)) return m[1].str();
  return {};
}

std::string replaced(std::string text, const std::string &secret) {
  if (secret.empty()) return text;
  for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3)) {
    text.replace(at, secret.size(), "***");
  }
  return text;
}

}  // namespace

PostgresAddress parse_postgres_address(const std::string &url) {
  char *error = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
      PQconninfoParse(url.c_str(), &error), PQconninfoFree);
  if (!options) {
    std::string why = error ? error : "out of memory";
    PQfreemem(error);
    while (!why.empty() && why.back() == '\n') why.pop_back();
    const std::string password = guess_password(url);
    if (!password.empty()) log::add_secret(password);
    throw StoreError("store.url is not a valid PostgreSQL connection string (" +
                     replaced(why, password) +
                     "); expected postgresql://user@host:port/database or "
                     "'host=… dbname=… user=…'");
  }
  PostgresAddress a;
  a.url = url;
  for (PQconninfoOption *o = options.get(); o->keyword; ++o) {
    std::string value = o->val ? o->val : "";
    std::string_view key = o->keyword;
    if (key == "host" || (key == "hostaddr" && a.host.empty())) a.host = value;
    if (key == "port") a.port = value;
    if (key == "dbname") a.dbname = value;
    if (key == "user") a.user = value;
    if (key == "password") a.password = value;
  }
  if (!a.password.empty()) log::add_secret(a.password);
  return a;
}

std::string describe(const PostgresAddress &a) {
  std::string out = "PostgreSQL database '" + (a.dbname.empty() ? a.user : a.dbname) + "' on " +
                    (a.host.empty() ? "the local socket" : a.host);
  if (!a.port.empty()) out += ":" + a.port;
  if (!a.user.empty()) out += " as user '" + a.user + "'";
  return without_password(out, a);
}

std::string without_password(std::string text, const PostgresAddress &a) {
  return replaced(std::move(text), a.password);
}

}  // namespace automuse::store
