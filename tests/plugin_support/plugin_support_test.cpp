// tests/plugin_support/plugin_support_test.cpp — the plugins' shared readers: typed configuration
// fields (defaults, and errors naming where and which field), a plugin's section and account
// records, lenient members, the auth actions' options and --account read through the host's
// automuse.args/1, the token record's clock, and the publication outcome's uncertain shape.
#include <gtest/gtest.h>

#include <automuse/cpp/error.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <string>

#include "action_account.hpp"
#include "auth_steps.hpp"
#include "config_fields.hpp"
#include "json_members.hpp"
#include "plugins/action_call.hpp"
#include "publish_outcome.hpp"

namespace json = boost::json;
using namespace plugin_support;

namespace {

constexpr const char *kWhere = "automuse.json: plugins.demo.";

// The message of the am::error `f` throws, with its status checked.
template <class F>
std::string invalid_argument_message(F &&f) {
  try {
    f();
  } catch (const am::error &e) {
    EXPECT_EQ(e.status(), AM_INVALID_ARGUMENT) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no am::error thrown";
  return "";
}

// An am_host whose only service is the host's automuse.args/1, as a plugin's auth sees it.
struct ArgsHost {
  am_host host{};
  ArgsHost() {
    host.struct_size = sizeof host;
    host.get_service = [](const am_host *, const char *id) -> const void * {
      return std::string_view(id) == AM_ARGS_SERVICE_ID ? automuse::plugins::args_service()
                                                        : nullptr;
    };
  }
  am::host handle() const { return am::host(&host); }
};

}  // namespace

TEST(PluginJsonFields, ParseObject) {
  EXPECT_TRUE(parse_object("", "plugins.demo").empty());
  EXPECT_EQ(parse_object(R"({"a": 1})", "plugins.demo").at("a").as_int64(), 1);
  EXPECT_EQ(invalid_argument_message([] { parse_object("[1]", "plugins.demo"); }),
            "plugins.demo is not an object");
  EXPECT_EQ(invalid_argument_message([] {
              parse_object("{", "plugins.demo");
            }).rfind("plugins.demo is not JSON: ", 0),
            0u);
}

TEST(PluginJsonFields, ASectionNamesItsPluginInErrors) {
  const ConfigSection section = parse_section(R"({"a": "x"})", "demo");
  EXPECT_EQ(section.where, kWhere);
  EXPECT_EQ(string_field(section.fields, "a", "", section.where), "x");
  EXPECT_TRUE(parse_section("", "demo").fields.empty());
  EXPECT_EQ(invalid_argument_message([] { parse_section("[]", "demo"); }),
            "automuse.json: plugins.demo is not an object");
  EXPECT_EQ(invalid_argument_message([] {
              const ConfigSection s = parse_section(R"({"n": "many"})", "demo");
              int_field(s.fields, "n", 1, 0, 9, s.where);
            }).rfind("automuse.json: plugins.demo.n ", 0),
            0u);
}

TEST(PluginJsonFields, AnAccountRecordNamesItsAccountInErrors) {
  const AccountRecord r =
      parse_account_record(R"({"id": "7", "nickname": "news", "fields": {"topic": 3}})", "X");
  EXPECT_EQ(r.id, "7");
  EXPECT_EQ(r.nickname, "news");
  EXPECT_EQ(r.where, "X account 'news': ");
  EXPECT_EQ(invalid_argument_message([&] { string_field(r.fields, "topic", "", r.where); }),
            "X account 'news': topic must be a string");
  // Without a nickname the id names it; without fields there are none.
  const AccountRecord bare = parse_account_record(R"({"id": "7"})", "X");
  EXPECT_EQ(bare.nickname, "7");
  EXPECT_TRUE(bare.fields.empty());
  EXPECT_EQ(invalid_argument_message([] { parse_account_record(R"({"id": 7})", "afm"); }),
            "afm account id must be a string");
  EXPECT_EQ(invalid_argument_message([] { parse_account_record("1", "afm"); }),
            "afm account is not an object");
}

TEST(PluginJsonFields, StringsTakeTheirDefaultWhenMissingOrNull) {
  const json::object o = json::parse(R"({"name": "chef", "none": null, "n": 3})").as_object();
  EXPECT_EQ(string_field(o, "name", "x", kWhere), "chef");
  EXPECT_EQ(string_field(o, "none", "x", kWhere), "x");
  EXPECT_EQ(string_field(o, "absent", "x", kWhere), "x");
  EXPECT_EQ(invalid_argument_message([&] { string_field(o, "n", "", kWhere); }),
            "automuse.json: plugins.demo.n must be a string");
  EXPECT_EQ(invalid_argument_message([&] { string_field(o, "n", "", "afm account 'shop': "); }),
            "afm account 'shop': n must be a string");
}

TEST(PluginJsonFields, WholeNumbersInRange) {
  const json::object o =
      json::parse(R"({"a": 5, "b": 7.9, "big": 18446744073709551615, "s": "5", "low": -1})")
          .as_object();
  EXPECT_EQ(int_field(o, "a", 0, 0, 10, kWhere), 5);
  EXPECT_EQ(int_field(o, "b", 0, 0, 10, kWhere), 7);  // a fraction is cut
  EXPECT_EQ(int_field(o, "absent", 4, 0, 10, kWhere), 4);
  EXPECT_EQ(invalid_argument_message([&] { int_field(o, "s", 0, 0, 10, kWhere); }),
            "automuse.json: plugins.demo.s must be a number");
  EXPECT_EQ(invalid_argument_message([&] { int_field(o, "low", 0, 0, 10, kWhere); }),
            "automuse.json: plugins.demo.low must be in 0..10");
  EXPECT_EQ(invalid_argument_message([&] { int_field(o, "big", 0, 0, 10, kWhere); }),
            "automuse.json: plugins.demo.big must be in 0..10");
}

TEST(PluginJsonFields, UrlsLoseTrailingSlashesAndMustBeHttp) {
  const json::object o =
      json::parse(R"({"api": "http://127.0.0.1:9/v1//", "empty": "", "ftp": "ftp://x"})")
          .as_object();
  EXPECT_EQ(url_field(o, "api", "", kWhere), "http://127.0.0.1:9/v1");
  EXPECT_EQ(url_field(o, "empty", "https://default", kWhere), "");
  EXPECT_EQ(url_field(o, "absent", "https://default/", kWhere), "https://default");
  EXPECT_EQ(invalid_argument_message([&] { url_field(o, "ftp", "", kWhere); }),
            "automuse.json: plugins.demo.ftp must be an http(s) URL");
}

TEST(PluginJsonFields, Ports) {
  const json::object o =
      json::parse(R"({"p": 8080, "zero": 0, "high": 70000, "frac": 80.5, "s": "80", "neg": -1})")
          .as_object();
  EXPECT_EQ(port_field(o, "p", 0, kWhere), 8080u);
  EXPECT_EQ(port_field(o, "zero", 9, kWhere), 0u);
  EXPECT_EQ(port_field(o, "absent", 9, kWhere), 9u);
  for (const char *bad : {"high", "frac", "s", "neg"})
    EXPECT_EQ(invalid_argument_message([&] { port_field(o, bad, 0, kWhere); }),
              std::string(kWhere) + bad + " must be a port number (0-65535)");
}

TEST(PluginJsonMembers, LenientReads) {
  const json::object o =
      json::parse(R"({"s": "text", "n": 3600, "d": 12.0, "wrong": 5, "ns": "60"})").as_object();
  EXPECT_EQ(string_member(o, "s"), "text");
  EXPECT_EQ(string_member(o, "wrong"), "");
  EXPECT_EQ(string_member(o, "absent"), "");
  EXPECT_EQ(int_member(o, "n", 0), 3600);
  EXPECT_EQ(int_member(o, "d", 0), 12);
  EXPECT_EQ(int_member(o, "ns", 7), 7);
  EXPECT_EQ(int_member(o, "absent", 7), 7);
}

TEST(PluginJsonAccount, AnAuthWithoutAccountIsRefusedWithTheCallersMessage) {
  ArgsHost h;
  automuse::plugins::ActionCall call(
      "demo", "auth", json::parse(R"({"account": null, "options": {}, "args": []})").as_object(),
      nullptr, nullptr, nullptr);
  const am::args args(h.handle(), call.call());
  EXPECT_EQ(invalid_argument_message([&] { given_account(h.handle(), args, "choose one"); }),
            "choose one");
}

TEST(PluginJsonAuth, OptionsReachTheRequest) {
  ArgsHost h;
  automuse::plugins::ActionCall call(
      "demo", "auth",
      json::parse(R"({"account": null, "options": {"no-browser": true, "port": "8123",
                      "timeout": "30"}, "args": []})")
          .as_object(),
      nullptr, nullptr, nullptr);
  am::oauth_request req;
  req.port = 5;
  apply_auth_options(req, am::args(h.handle(), call.call()));
  EXPECT_EQ(req.browser, AM_OAUTH_BROWSER_NEVER);
  EXPECT_EQ(req.port, 8123u);
  EXPECT_EQ(req.timeout_ms, 30000u);
  // A port that is no port is refused, naming the option.
  automuse::plugins::ActionCall bad(
      "demo", "auth",
      json::parse(R"({"account": null, "options": {"port": "70000"}, "args": []})").as_object(),
      nullptr, nullptr, nullptr);
  am::oauth_request other;
  const std::string message = invalid_argument_message(
      [&] { apply_auth_options(other, am::args(h.handle(), bad.call())); });
  EXPECT_NE(message.find("--port"), std::string::npos) << message;
}

TEST(PluginJsonAuth, TheSectionPointsTheRequestElsewhere) {
  am::oauth_request req;
  req.authorize_url = "https://example.com/authorize";
  apply_auth_endpoints(req, parse_section("{}", "demo"));
  EXPECT_EQ(req.authorize_url, "https://example.com/authorize");
  EXPECT_EQ(req.port, 0u);
  apply_auth_endpoints(req, parse_section(R"({"authorize_url": "http://127.0.0.1:9/a",
                                              "redirect_port": 8123})",
                                          "demo"));
  EXPECT_EQ(req.authorize_url, "http://127.0.0.1:9/a");
  EXPECT_EQ(req.port, 8123u);
  EXPECT_EQ(invalid_argument_message([&] {
              apply_auth_endpoints(req, parse_section(R"({"redirect_port": 70000})", "demo"));
            }).rfind("automuse.json: plugins.demo.redirect_port ", 0),
            0u);
}

TEST(PluginJsonOutcome, UncertainIsNeverRepeatedByItself) {
  PublishOutcome o;
  EXPECT_EQ(o.state, PublishOutcome::State::failed);
  o.mark_uncertain("no answer; look on the profile", "look on the profile");
  EXPECT_EQ(o.state, PublishOutcome::State::uncertain);
  EXPECT_EQ(o.status, AM_UNCERTAIN);
  EXPECT_EQ(o.reason, "no answer; look on the profile");
  EXPECT_EQ(o.how_to_check, "look on the profile");
  EXPECT_FALSE(o.published());
  EXPECT_FALSE(o.platform_did_not_act);
}

TEST(PluginJsonAuth, ExpiresAtIsNowPlusTheLifetime) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const int64_t at = expires_at(3600);
  EXPECT_GE(at, now + 3600);
  EXPECT_LE(at, now + 3602);
}
