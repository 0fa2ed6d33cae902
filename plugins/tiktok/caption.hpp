// plugins/tiktok/caption.hpp — TikTok's caption (post_info.title) rule: at most 2200 UTF-16 code
// units, a character outside the Basic Multilingual Plane (most emoji) counting two.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tiktok {

inline constexpr size_t kMaxCaptionUnits = 2200;

// UTF-16 code units of UTF-8 `text`; nullopt when it is not valid UTF-8.
std::optional<size_t> utf16_units(std::string_view text);

// `text` cut to at most `max_units` UTF-16 units at a character boundary, preferring the last
// space before the limit, without trailing spaces. Invalid UTF-8 comes back unchanged.
std::string fit_caption(std::string_view text, size_t max_units = kMaxCaptionUnits);

}  // namespace tiktok
