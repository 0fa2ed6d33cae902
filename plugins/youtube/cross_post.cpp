// plugins/youtube/cross_post.cpp — sharing a finished Short through another plugin's
// publisher: the target option, the post written by the LLM, and the publication with a
// bounded re-ask when the publisher finds the text too long.
#include "cross_post.hpp"

#include <automuse/cpp/error.hpp>
#include <automuse/cpp/publish.hpp>
#include <boost/json.hpp>

#include "service_calls.hpp"
#include "text.hpp"  // plugins/plugin_support

namespace youtube {
namespace json = boost::json;
using plugin_support::trim;

namespace {

constexpr int kMaxReasks = 2;

// The post: the words, then the link on the same line (X counts any URL as 23).
std::string with_link(const std::string &words, const std::string &url) {
  if (url.empty()) return words;
  return words.empty() ? url : words + " " + url;
}

}  // namespace

CrossPostTarget parse_cross_post_target(const std::string &spec) {
  const size_t colon = spec.find(':');
  CrossPostTarget t;
  if (colon != std::string::npos) {
    t.plugin = trim(spec.substr(0, colon));
    t.account = trim(spec.substr(colon + 1));
  }
  if (t.plugin.empty() || t.account.empty() || t.account.find(':') != std::string::npos)
    throw am::error(AM_INVALID_ARGUMENT,
                    "option --also-publish must be PLUGIN:ACCOUNT (for "
                    "example twitter:main), got '" +
                        spec + "'");
  if (t.plugin == "youtube")
    throw am::error(AM_INVALID_ARGUMENT,
                    "option --also-publish names another plugin; to publish on YouTube use "
                    "--publish youtube");
  return t;
}

void check_cross_post_targets(const am::host &host, std::vector<CrossPostTarget> &targets,
                              bool sharing_link) {
  if (targets.empty()) return;
  am::publisher_client publish(host);
  const am_publish_kinds kinds =
      sharing_link ? AM_PUBLISH_TEXT : AM_PUBLISH_TEXT | AM_PUBLISH_VIDEO;
  for (auto &t : targets) {
    try {
      try {
        publish.require(t.plugin, kinds);
      } catch (const am::error &e) {
        if (e.status() != AM_UNSUPPORTED) throw;
        publish.require(t.plugin, AM_PUBLISH_VIDEO);  // a video-only publisher (TikTok, Instagram)
        t.video_only = true;
      }
    } catch (const am::error &e) {
      throw am::error(e.status(), "--also-publish " + t.plugin + ":" + t.account + ": " + e.what());
    }
  }
}

bool shares_video_file(const std::vector<CrossPostTarget> &targets) {
  for (const auto &t : targets)
    if (t.video_only) return true;
  return false;
}

std::string cross_post_messages(const Account &account, const CrossPostShort &short_video,
                                const std::string &too_long_error) {
  std::string system =
      "You write one short social media post that makes people want to watch a new YouTube "
      "Short. At most two sentences and 200 characters, at most one hashtag, no emoji spam, "
      "no quotation marks around the post, and no link: the link is added after your text. "
      "Write in the language with the code '" +
      account.language + "'. Answer with the post only.";
  std::string user = "The Short's title: " + short_video.title + "\n";
  if (!account.niche.empty()) user += "The channel's niche: " + account.niche + "\n";
  if (!short_video.description.empty())
    user += "What it says: " + short_video.description.substr(0, 1200) + "\n";
  if (!too_long_error.empty())
    user += "Your last post was refused: " + too_long_error + ". Write a clearly shorter one.";
  json::array a;
  a.push_back(json::object{{"role", "system"}, {"content", system}});
  a.push_back(json::object{{"role", "user"}, {"content", user}});
  return json::serialize(a);
}

std::string clean_post(const std::string &answer) {
  // The same cleaning as a topic line: first line, no label, no surrounding quotes.
  std::string t(trim(answer));
  std::string out;
  for (char c : t) out += (c == '\n' || c == '\r') ? ' ' : c;
  t = trim(out);
  while (!t.empty() && (t.front() == '"' || t.front() == '\'')) t.erase(0, 1);
  while (!t.empty() && (t.back() == '"' || t.back() == '\'')) t.pop_back();
  return std::string(trim(t));
}

am::task<CrossPostResult> cross_post(am::job job, Account account, CrossPostTarget target,
                                     CrossPostShort short_video, bool have_llm) {
  am::publisher_client publish(job.host_ref());
  am::publish_content content;
  content.title = short_video.title;
  // The host's ledger knows the post by the Short it shares, not by its words (which a
  // resumed run may word differently): it is posted once per target.
  if (!short_video.digest.empty())
    content.options_json =
        json::serialize(json::object{{"content_digest", "youtube-short:" + short_video.digest}});
  // A video-only platform gets the Short itself with the words as its caption (the title: a
  // publication with a text needs a publisher of text); the others the link when there is one.
  if (short_video.video_url.empty() || target.video_only)
    content.media_path = short_video.video_path;

  std::string refusal;
  for (int attempt = 0;; ++attempt) {
    std::string words = short_video.title;
    const bool ask_llm = have_llm && attempt <= kMaxReasks;
    if (ask_llm) {
      auto call =
          chat(job, cross_post_messages(account, short_video, refusal), "", account.id, 0.8);
      LlmOutput answer = co_await std::move(call);
      words = clean_post(answer.content);
      if (words.empty()) words = short_video.title;
    }
    if (target.video_only) {
      content.title = words;
    } else {
      content.text = with_link(words, short_video.video_url);
    }
    try {
      auto send = publish.send(job, target.plugin, target.account, content);
      am::published p = co_await std::move(send);
      CrossPostResult r{target, target.video_only ? content.title : content.text, p.id, p.url};
      job.log().info("youtube: shared on " + target.plugin + ":" + target.account + ": " + p.url);
      co_return r;
    } catch (const am::error &e) {
      // Only a refusal of the text itself is worth another try; anything else (auth, rate
      // caps, an unknown account) is the user's to fix.
      if (e.status() != AM_INVALID_ARGUMENT || !ask_llm) {
        throw am::error(e.status(),
                        "--also-publish " + target.plugin + ":" + target.account + ": " + e.what());
      }
      refusal = e.what();
      job.log().warn("youtube: " + target.plugin + " refused the post, asking again: " + refusal);
    }
  }
}

}  // namespace youtube
