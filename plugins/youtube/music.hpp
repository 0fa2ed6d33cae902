// plugins/youtube/music.hpp — the background track: one audio file from the account's (or
// the plugin's configured) music folder, picked by a seed so a re-run of the same job picks
// the same one.
#pragma once

#include <cstdint>
#include <string>

namespace youtube {

// `folder` empty: no music (returns ""). A folder that does not exist or holds no audio file
// is an error naming the folder and `field` (am::error AM_NOT_FOUND / AM_INVALID_ARGUMENT).
// Blocking (lists a folder): call it off the I/O threads.
std::string pick_music(const std::string &folder, const std::string &field, uint64_t seed);

}  // namespace youtube
