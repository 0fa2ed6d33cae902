// Human durations for the CLI ("90s", "15m", "12h", "7d", "2w", "1d12h") and back.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace automuse::cache {

// nullopt when the text is not a duration.
std::optional<std::chrono::seconds> parse_duration(std::string_view text);
// "3d 4h", "12m 5s", "0s".
std::string format_duration(std::chrono::seconds d);
// "1.5 MiB", "512 B".
std::string format_bytes(uint64_t bytes);

}  // namespace automuse::cache
