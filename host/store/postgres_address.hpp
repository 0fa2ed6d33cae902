// host/store/postgres_address.hpp — `store.url`, a PostgreSQL connection string (a
// `postgresql://` URI or libpq's `key=value` form): checked, and described for messages
// without its password.
#pragma once

#include <string>

namespace automuse::store {

struct PostgresAddress {
  std::string url;       // as configured (holds the password, if any: never print it)
  std::string host;      // a host name, an address or a socket folder; "" for libpq's default
  std::string port;      // "" for the default
  std::string dbname;    // "" for the default (the user's name)
  std::string user;      // "" for the default
  std::string password;  // "" when none
};

// Parses `url` with libpq's own parser. Throws StoreError naming store.url (and never the
// password) when it is not a connection string libpq accepts. The password, when there is
// one, is given to the log redactor.
PostgresAddress parse_postgres_address(const std::string &url);

// "PostgreSQL database 'automuse' on db.example:5432 as user 'muse'" — for messages.
std::string describe(const PostgresAddress &address);

// `text` with every occurrence of the address's password replaced by "***".
std::string without_password(std::string text, const PostgresAddress &address);

}  // namespace automuse::store
