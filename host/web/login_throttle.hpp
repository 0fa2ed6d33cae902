// host/web/login_throttle.hpp — slows down guessing: per client address, five failed attempts
// (a wrong or missing token, a wrong login code) are free; after that each failure locks the
// address out for twice as long as the one before (1 s, 2 s, 4 s … at most 5 minutes), and
// attempts during a lock-out are answered 429 at once without being checked. A success clears
// the address; addresses quiet for 15 minutes are forgotten (at most 10 000 are kept).
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace automuse::web {

class LoginThrottle {
 public:
  // Seconds the client must still wait (0: its attempt is heard). `now_ms`: a steady clock.
  int64_t wait_seconds(const std::string &client, int64_t now_ms);
  void failed(const std::string &client, int64_t now_ms);
  void succeeded(const std::string &client);

 private:
  struct Entry {
    int failures = 0;
    int64_t last_ms = 0;
    int64_t locked_until_ms = 0;
  };
  void forget_quiet(int64_t now_ms);
  std::map<std::string, Entry> entries_;
};

}  // namespace automuse::web
