// plugins/instagram/publish_copy.hpp — the video_url path: Instagram downloads the video from a
// public URL, so the Short is copied into the account's publish folder (which the user serves
// at public_url_prefix) under a name nobody can guess from the title, written under a temporary
// name and renamed, so the web server never serves half a file. The copy is removed once
// Instagram no longer needs it (published or failed for good).
#pragma once

#include <string>

#include "settings.hpp"

namespace instagram {

struct PublicCopy {
  std::string path;  // in the publish folder
  std::string url;   // public_url_prefix/NAME
};

// Copies `video` for `key` (reel_record.hpp). Throws am::error(AM_IO) naming the folder.
PublicCopy copy_for_url(const Account &account, const std::string &video, const std::string &key);

// Removes a copy; a missing one is fine.
void remove_copy(const std::string &path);

}  // namespace instagram
