// plugins/twitter/post_match.hpp — whether a post read back from X is the text that was sent.
// X stores a post rewritten: every link becomes a t.co link (the original is in the entity's
// expanded_url), a link to attached media is appended, and &, < and > come back as HTML
// entities. Comparing the sent text with what X shows means undoing that first.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace twitter {

// One entry of a post's entities.urls.
struct PostLink {
  std::string url;           // the t.co link in the text
  std::string expanded_url;  // the link as written (X may add http:// to a bare domain)
  bool media = false;        // a link to the post's own media (it has a media_key)
};

// A post as X returns it.
struct RemotePost {
  std::string id;
  std::string text;
  std::vector<PostLink> links;
};

// The post's text as it was written: t.co links expanded, media links dropped, HTML entities
// undone.
std::string text_as_written(const RemotePost &post);

// Whether `post` is `sent`: both in NFC, trimmed, links compared without their scheme and a
// trailing slash.
bool same_post(std::string_view sent, const RemotePost &post);

}  // namespace twitter
