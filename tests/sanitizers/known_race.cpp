// tests/sanitizers/known_race.cpp — a data race on purpose: two threads write one int with no
// lock. scripts/sanitize.sh runs it in the TSan tree and expects "WARNING: ThreadSanitizer:
// data race"; silence would mean the sanitizer is not really on.
#include <cstdio>
#include <thread>

namespace {
int shared_counter = 0;  // deliberately unprotected

void bump() {
  for (int i = 0; i < 1000; ++i) ++shared_counter;
}
}  // namespace

int main() {
  std::thread a(bump), b(bump);
  a.join();
  b.join();
  std::printf("%d\n", shared_counter);
  return 0;
}
