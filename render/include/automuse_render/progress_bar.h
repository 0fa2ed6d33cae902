// automuse_render/progress_bar.h — the one progress bar of AutoMuse's command lines: a line of
// text with a bar, the percent done, a speed and the time left, for a terminal that redraws it
// in place. automuse-render draws its render with it; automuse-host draws a job's render and
// upload steps with it.
#pragma once

#include <string>
#include <string_view>

namespace automuse::render {

// "[##########......................]  31.2%   96.0 fps  eta    4s": `fraction` 0..1 (clamped),
// `speed` already formatted ("96.0 fps", format_speed), `eta_seconds` the time left (< 0:
// unknown, shown as "--").
std::string progress_bar(double fraction, std::string_view speed, double eta_seconds);

// "%6.1f UNIT" ("  96.0 fps"); bytes a second as "  2.4 MB/s" with unit "B/s" (KB/s, MB/s, GB/s
// by size, powers of 1000).
std::string format_speed(double per_second, std::string_view unit);

}  // namespace automuse::render
