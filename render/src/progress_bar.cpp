// render/src/progress_bar.cpp — the progress bar line (progress_bar.h).
#include "automuse_render/progress_bar.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace automuse::render {

std::string progress_bar(double fraction, std::string_view speed, double eta_seconds) {
  constexpr int kWidth = 32;
  if (!std::isfinite(fraction)) fraction = 0;
  fraction = std::clamp(fraction, 0.0, 1.0);
  std::string bar(static_cast<size_t>(fraction * kWidth), '#');
  bar.resize(kWidth, '.');
  char eta[32];
  if (eta_seconds >= 0 && std::isfinite(eta_seconds))
    std::snprintf(eta, sizeof eta, "%4.0fs", eta_seconds);
  else
    std::snprintf(eta, sizeof eta, "  --");
  char line[160];
  std::snprintf(line, sizeof line, "[%s] %5.1f%%  %.*s  eta %s", bar.c_str(), fraction * 100,
                static_cast<int>(speed.size()), speed.data(), eta);
  return line;
}

std::string format_speed(double per_second, std::string_view unit) {
  if (!std::isfinite(per_second) || per_second < 0) per_second = 0;
  std::string u(unit);
  if (unit == "B/s") {
    static const char *kUnits[] = {"B/s", "KB/s", "MB/s", "GB/s"};
    int i = 0;
    for (; i < 3 && per_second >= 1000; ++i) per_second /= 1000;
    u = kUnits[i];
  }
  char text[64];
  std::snprintf(text, sizeof text, "%6.1f %s", per_second, u.c_str());
  return text;
}

}  // namespace automuse::render
