// plugins/youtube/cross_post.hpp — `--also-publish PLUGIN:ACCOUNT`: once the Short is made (and
// uploaded), another plugin's publisher shares it through "automuse.publish/1" (X through the
// twitter plugin) with a post written by the LLM: the Short's link when it went to YouTube,
// else the video itself; a platform that posts videos only (TikTok) always gets the video.
#pragma once

#include <automuse/cpp/job.hpp>
#include <automuse/cpp/task.hpp>
#include <string>
#include <vector>

#include "settings.hpp"

namespace youtube {

struct CrossPostTarget {
  std::string plugin;   // "twitter"
  std::string account;  // one of that plugin's accounts
  // Its publisher takes video but no text post (TikTok, Instagram): the Short itself always
  // goes, and the written post becomes its caption (the publication's title). Set by
  // check_cross_post_targets.
  bool video_only = false;
};

// "twitter:main" -> {twitter, main}. Throws am::error(AM_INVALID_ARGUMENT) naming the option.
CrossPostTarget parse_cross_post_target(const std::string &spec);

// What the post is about.
struct CrossPostShort {
  std::string title;
  std::string description;
  std::string video_path;  // the rendered file
  std::string video_url;   // the YouTube URL; empty when the Short stayed in the outbox
  std::string digest;      // of the Short's inputs: one post per target, however worded
};

struct CrossPostResult {
  CrossPostTarget target;
  std::string text;  // exactly what was published
  std::string id;
  std::string url;
};

// Fails early, before any work, when a target's plugin publishes nothing of the kind needed
// (text when a link will be shared, text and video otherwise, video alone for a video-only
// publisher, which it marks). Throws am::error.
void check_cross_post_targets(const am::host &host, std::vector<CrossPostTarget> &targets,
                              bool sharing_link);

// Whether any target gets the video file itself from a video-only publisher (the Short is then
// rendered without edit lists, which Instagram refuses).
bool shares_video_file(const std::vector<CrossPostTarget> &targets);

// The LLM's request for the post (JSON messages), and the answer cleaned to one post.
std::string cross_post_messages(const Account &account, const CrossPostShort &short_video,
                                const std::string &too_long_error);
std::string clean_post(const std::string &answer);

// Writes the post (the LLM when `have_llm`, else the title) and publishes it; a publisher's
// refusal of a too-long text goes back to the LLM with its message, twice at most, before the
// title alone is used. Throws am::error naming the plugin and account.
am::task<CrossPostResult> cross_post(am::job job, Account account, CrossPostTarget target,
                                     CrossPostShort short_video, bool have_llm);

}  // namespace youtube
