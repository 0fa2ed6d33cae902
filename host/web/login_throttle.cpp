// host/web/login_throttle.cpp — failure counts and lock-outs per client address.
#include "web/login_throttle.hpp"

#include <algorithm>

namespace automuse::web {
namespace {
constexpr int kFree = 5;
constexpr int64_t kMaxLockMs = 300000;
constexpr int64_t kForgetMs = 15 * 60000;
constexpr size_t kMaxEntries = 10000;
}  // namespace

int64_t LoginThrottle::wait_seconds(const std::string &client, int64_t now_ms) {
  auto it = entries_.find(client);
  if (it == entries_.end() || it->second.locked_until_ms <= now_ms) return 0;
  return (it->second.locked_until_ms - now_ms + 999) / 1000;
}

void LoginThrottle::failed(const std::string &client, int64_t now_ms) {
  if (entries_.size() >= kMaxEntries) forget_quiet(now_ms);
  if (entries_.size() >= kMaxEntries) entries_.erase(entries_.begin());
  Entry &e = entries_[client];
  ++e.failures;
  e.last_ms = now_ms;
  if (e.failures > kFree) {
    const int shift = std::min(e.failures - kFree - 1, 20);
    e.locked_until_ms = now_ms + std::min<int64_t>(int64_t{1000} << shift, kMaxLockMs);
  }
}

void LoginThrottle::succeeded(const std::string &client) {
  entries_.erase(client);
}

void LoginThrottle::forget_quiet(int64_t now_ms) {
  std::erase_if(entries_, [&](const auto &kv) {
    return kv.second.last_ms + kForgetMs < now_ms && kv.second.locked_until_ms < now_ms;
  });
}

}  // namespace automuse::web
