// The two date formats MoneyPrinterV2 wrote: "%Y-%m-%d %H:%M:%S" (YouTube videos) and
// "%m/%d/%Y, %H:%M:%S" (Twitter posts), both naive local times.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace automuse::import {

// Unix seconds for a date in either format, read as local time; nullopt otherwise.
std::optional<int64_t> parse_mpv2_date(std::string_view text);

}  // namespace automuse::import
