// plugins/youtube/settings.cpp — parsing and checking of accounts, options and configuration.
#include "settings.hpp"

#include <automuse/cpp/error.hpp>
#include <boost/json.hpp>
#include <cmath>

#include "script_text.hpp"

namespace youtube {
namespace json = boost::json;

namespace {

[[noreturn]] void bad(const std::string &what) {
  throw am::error(AM_INVALID_ARGUMENT, what);
}

// Options arrive from the command line as strings (or true for a bare flag).
std::string option_string(const json::value &v, const std::string &name) {
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_number()) return json::serialize(v);
  bad("option --" + name + " needs a value");
}

bool option_bool(const json::value &v, const std::string &name) {
  if (v.is_bool()) return v.as_bool();
  if (v.is_string()) {
    std::string s(v.as_string());
    if (s == "true" || s == "1" || s == "yes") return true;
    if (s == "false" || s == "0" || s == "no") return false;
  }
  bad("option --" + name + " must be true or false");
}

int option_size(const json::value &v, const std::string &name) {
  std::string s = option_string(v, name);
  int n = 0;
  try {
    size_t used = 0;
    n = std::stoi(s, &used);
    if (used != s.size()) throw std::invalid_argument(s);
  } catch (const std::exception &) {
    bad("option --" + name + " must be a whole number of pixels, got '" + s + "'");
  }
  if (n < 64 || n > 4096 || n % 2)
    bad("option --" + name + " must be an even number of pixels between 64 and 4096, got " + s);
  return n;
}

std::string field_string(const json::object &fields, const char *name, const std::string &who) {
  auto *v = fields.if_contains(name);
  if (!v || v->is_null()) return {};
  if (v->is_string()) return std::string(v->as_string());
  bad(who + ": field '" + name + "' must be a string");
}

bool field_bool(const json::object &fields, const char *name, const std::string &who, bool def) {
  auto *v = fields.if_contains(name);
  if (!v || v->is_null()) return def;
  if (v->is_bool()) return v->as_bool();
  if (v->is_string() && (v->as_string() == "true" || v->as_string() == "false"))
    return v->as_string() == "true";
  bad(who + ": field '" + name + "' must be true or false");
}

void check_privacy(const std::string &p, const std::string &who) {
  if (p != "private" && p != "unlisted" && p != "public")
    bad(who + ": field 'privacy' must be private, unlisted or public, got '" + p + "'");
}

Account parse_account(const json::value *v) {
  Account a;
  if (!v || v->is_null()) {
    a.pseudo = true;
    a.nickname = "default";
    return a;
  }
  const json::object *o = v->if_object();
  if (!o) bad("account: must be an object");
  if (auto *id = o->if_contains("id"); id && id->is_string()) a.id = std::string(id->as_string());
  if (auto *n = o->if_contains("nickname"); n && n->is_string())
    a.nickname = std::string(n->as_string());
  const std::string who = "account '" + a.nickname + "'";
  json::object empty;
  const json::object *fields = &empty;
  if (auto *f = o->if_contains("fields"); f && f->is_object()) fields = &f->as_object();
  a.niche = field_string(*fields, "niche", who);
  if (a.niche.find_first_not_of(" \t\r\n") == std::string::npos)
    bad(who + ": field 'niche' is required (set it with `automuse-host accounts set " + a.nickname +
        " --plugin youtube --set niche=...`)");
  if (auto l = field_string(*fields, "language", who); !l.empty()) a.language = l;
  a.voice = field_string(*fields, "voice", who);
  a.image_providers = field_string(*fields, "image_providers", who);
  if (auto p = field_string(*fields, "privacy", who); !p.empty()) a.privacy = p;
  check_privacy(a.privacy, who);
  a.made_for_kids = field_bool(*fields, "made_for_kids", who, false);
  a.music_dir = field_string(*fields, "music_dir", who);
  a.subtitle_style = field_string(*fields, "subtitle_style", who);
  if (auto *m = fields->if_contains("max_duration"); m && !m->is_null()) {
    double d = m->is_number() ? m->to_number<double>() : -1;
    if (m->is_string()) {
      try {
        d = std::stod(std::string(m->as_string()));
      } catch (const std::exception &) {
      }
    }
    if (!(d >= 5 && d <= 180)) bad(who + ": field 'max_duration' must be 5..180 seconds");
    a.max_duration = d;
  }
  return a;
}

Options parse_options(const std::string &action, const json::value *v) {
  Options o;
  // `run` publishes; `generate` (and `run --publish outbox`, the dry run) keeps the outbox.
  o.publish = action == "run" || action == "publish" ? "youtube" : "outbox";
  if (!v || v->is_null()) return o;
  const json::object *obj = v->if_object();
  if (!obj) bad("options: must be an object");
  for (const auto &[key, value] : *obj) {
    const std::string k(key);
    if (k == "topic") {
      o.topic = option_string(value, k);
    } else if (k == "script") {
      o.script_file = option_string(value, k);
    } else if (k == "title") {
      o.title = option_string(value, k);
    } else if (k == "publish") {
      o.publish = option_string(value, k);
      if (o.publish != "outbox" && o.publish != "youtube")
        bad("option --publish must be youtube or outbox, got '" + o.publish + "'");
    } else if (k == "aspect") {
      o.aspect = option_string(value, k);
      if (o.aspect != "9:16" && o.aspect != "16:9" && o.aspect != "1:1")
        bad("option --aspect must be 9:16, 16:9 or 1:1, got '" + o.aspect + "'");
    } else if (k == "width") {
      o.width = option_size(value, k);
    } else if (k == "height") {
      o.height = option_size(value, k);
    } else if (k == "speed-up" || k == "speed_up") {
      o.speed_up = option_bool(value, k);
    } else if (k == "also-publish" || k == "also_publish") {
      // One target or several, comma-separated: twitter:main,twitter:alt
      std::string list = option_string(value, k);
      for (size_t b = 0; b <= list.size();) {
        size_t e = list.find(',', b);
        if (e == std::string::npos) e = list.size();
        if (e > b) o.also_publish.push_back(list.substr(b, e - b));
        b = e + 1;
      }
      if (o.also_publish.empty()) bad("option --also-publish needs PLUGIN:ACCOUNT");
    } else if (k == "item" && action == "publish") {
      o.item = option_string(value, k);
    } else if (k == "outbox") {
      o.outbox_dir = option_string(value, k);
    } else if (k == "sentences") {
      std::string s = option_string(value, k);
      try {
        o.sentences = std::stoi(s);
      } catch (const std::exception &) {
        o.sentences = -1;
      }
      if (o.sentences < 1 || o.sentences > 30) bad("option --sentences must be 1..30");
    } else {
      bad("unknown option --" + k + " for action '" + action +
          "' (options: topic, script, title, publish, aspect, speed-up, also-publish, outbox, "
          "sentences, width, height)");
    }
  }
  if ((o.width == 0) != (o.height == 0)) bad("options --width and --height go together");
  if (action == "publish" && o.item.empty())
    bad("action 'publish' needs --item: the history id of the Short to publish");
  if (action == "generate" && obj->contains("publish") && o.publish == "youtube")
    bad("action 'generate' keeps the video in the outbox: use action 'run' to publish to "
        "YouTube");
  return o;
}

PluginConfig parse_config(const std::string &text) {
  PluginConfig c;
  if (text.empty()) return c;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return c;
  const json::object &o = v.as_object();
  auto str = [&](const char *name) {
    auto *x = o.if_contains(name);
    if (!x || x->is_null()) return std::string();
    if (!x->is_string())
      bad(std::string("automuse.json: plugins.youtube.") + name + " must be a string");
    return std::string(x->as_string());
  };
  c.music_dir = str("music_dir");
  c.outbox_dir = str("outbox_dir");
  c.image_providers = str("image_providers");
  if (auto *m = o.if_contains("max_duration"); m && m->is_number()) {
    c.max_duration = m->to_number<double>();
    if (!(c.max_duration >= 5 && c.max_duration <= 180))
      bad("automuse.json: plugins.youtube.max_duration must be 5..180 seconds");
  }
  return c;
}

}  // namespace

ActionSettings parse_settings(const std::string &action, const std::string &args_json,
                              const std::string &config_json) {
  boost::system::error_code ec;
  json::value root = json::parse(args_json, ec);
  if (ec || !root.is_object()) bad("action arguments are not a JSON object");
  const json::object &o = root.as_object();
  ActionSettings s;
  s.options = parse_options(action, o.if_contains("options"));
  s.account = parse_account(o.if_contains("account"));
  s.config = parse_config(config_json);
  if (s.account.pseudo) s.account.niche = niche_from(s.options.title, s.options.topic);
  if (s.config.max_duration > 0 && s.account.max_duration == 60)
    s.account.max_duration = s.config.max_duration;
  if (s.account.image_providers.empty()) s.account.image_providers = s.config.image_providers;
  if (s.account.music_dir.empty()) s.account.music_dir = s.config.music_dir;
  return s;
}

std::string niche_from(const std::string &title, const std::string &topic) {
  const std::string &src = !title.empty() ? title : topic;
  std::string out;
  for (char c : src) {
    if (c == '\n' || c == '\r') c = ' ';
    out += c;
  }
  out = truncate_utf8(out, 80);  // whole characters: a cut one is not UTF-8 (PostgreSQL refuses it)
  return out.empty() ? "general interest" : out;
}

}  // namespace youtube
