// tests/plugin_loading/action_options_test.cpp — in process: describe()'s option declarations checked
// at load time, a command line typed by them, and the arguments service (automuse.args/1)
// reading a call: values, absent values, mistyped reads with messages naming the plugin, the
// action, the option or field and what was expected, and calls the host did not make.
#include "plugins/action_options.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "plugins/action_call.hpp"

namespace json = boost::json;
using namespace automuse::plugins;

namespace {

json::object describe_with(const std::string &options) {
  return json::parse(R"({"actions": [{"name": "run", "options": )" + options + "}]}").as_object();
}

std::string declaration_error(const std::string &options) {
  try {
    check_option_declarations("demo", describe_with(options));
  } catch (const std::invalid_argument &e) {
    return e.what();
  }
  return "";
}

std::string parse_error(const std::vector<std::string> &sets,
                        const std::vector<std::string> &words) {
  auto specs = option_specs("demo", describe_with(R"([{"name": "n", "type": "integer"}])"), "run");
  try {
    parse_action_arguments("demo", "run", specs, sets, words);
  } catch (const std::invalid_argument &e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(OptionDeclarations, BadOnesAreRefusedNamingPluginActionAndOption) {
  EXPECT_EQ(declaration_error(R"([{"name": "title"}, {"name": "n", "type": "integer",
      "minimum": 1, "enum": [1, 2], "default": 2, "required": false, "help": "h"}])"),
            "");
  EXPECT_EQ(declaration_error(R"([{"name": "account"}])"),
            "demo: describe(): action 'run': options[0] (--account): --account is a host "
            "option, reserved for every plugin (--account, --accounts, --set, --again, --plugin, "
            "--plugin-dir, --config, --verbose, --quiet, --log-json, --help, --version)");
  EXPECT_NE(declaration_error(R"([{"name": "again", "type": "boolean"}])")
                .find("--again is a host option"),
            std::string::npos);
  EXPECT_EQ(declaration_error(R"([{"name": "x", "type": "bool"}])"),
            "demo: describe(): action 'run': options[0] (--x).type: unknown type \"bool\" "
            "(expected string, integer, number or boolean)");
  EXPECT_EQ(declaration_error(R"([{"name": "x"}, {"name": "x"}])"),
            "demo: describe(): action 'run': option --x is declared twice");
  EXPECT_EQ(declaration_error(R"([{"name": "x", "type": "integer", "default": "3"}])"),
            "demo: describe(): action 'run': options[0] (--x).default is not an integer");
  EXPECT_NE(declaration_error(R"([{"name": "Bad Name"}])").find("options[0].name"),
            std::string::npos);
  EXPECT_NE(declaration_error(R"({"name": "x"})").find("options must be an array"),
            std::string::npos);
}

TEST(OptionArguments, TypedByTheDeclarationWithDefaultsAndPositionals) {
  auto specs = option_specs("demo", describe_with(R"([{"name": "title"},
      {"name": "n", "type": "integer"}, {"name": "x", "type": "number"},
      {"name": "flag", "type": "boolean"}, {"name": "mode", "default": "fast"}])"),
                            "run");
  auto a =
      parse_action_arguments("demo", "run", specs, {"x=2.5"},
                             {"--title", "T", "--flag", "word", "--n=4", "--", "--not-an-option"});
  EXPECT_EQ(json::value(a.options),
            json::parse(R"({"x": 2.5, "title": "T", "flag": true, "n": 4, "mode": "fast"})"));
  EXPECT_EQ(json::value(a.args), json::parse(R"(["word", "--not-an-option"])"));
}

TEST(OptionArguments, EveryMistakeIsRefusedNamingTheOption) {
  EXPECT_EQ(parse_error({}, {"--m", "1"}),
            "demo run: unknown option --m (demo run takes --n; the host takes --account, "
            "--accounts, --set, --again, --plugin, --plugin-dir, --config, --verbose, --quiet, "
            "--log-json, --help, --version)");
  EXPECT_EQ(parse_error({"n"}, {}), "demo run: --set expects name=value, got 'n'");
  EXPECT_EQ(parse_error({"n=1.5"}, {}), "demo run: option --n must be an integer; got '1.5'");
  EXPECT_EQ(parse_error({}, {"--n"}), "demo run: option --n needs a value (an integer)");
  EXPECT_EQ(parse_error({"n=1"}, {"--n", "2"}), "demo run: option --n given twice");
  // Host options are left to the host: neither refused nor handed over.
  auto specs = option_specs("demo", describe_with("[]"), "run");
  auto a = parse_action_arguments("demo", "run", specs, {"account=x"}, {"--again"});
  EXPECT_TRUE(a.options.empty());
}

TEST(ArgsService, ReadsTypedValuesAndNamesWhatIsMissingOrMistyped) {
  ActionCall c("demo", "run",
               json::parse(R"({
      "account": {"id": "7", "nickname": "news", "fields": {"niche": "cooking", "per_day": 3}},
      "options": {"title": "T", "n": 4, "ratio": 0.5, "loud": true},
      "args": ["one", "two"]})")
                   .as_object(),
               nullptr, nullptr, nullptr);
  const am_args *s = args_service();
  const am_action_call *call = c.call();
  ASSERT_TRUE(s->usable(call));
  am_str str{}, error{};
  int64_t i = 0;
  double d = 0;
  bool b = false;
  EXPECT_EQ(s->option_string(call, "title", &str, &error), AM_OK);
  EXPECT_EQ(std::string(str.data, str.len), "T");
  EXPECT_EQ(s->option_integer(call, "n", &i, &error), AM_OK);
  EXPECT_EQ(i, 4);
  EXPECT_EQ(s->option_number(call, "n", &d, &error), AM_OK);  // an integer is a number too
  EXPECT_EQ(d, 4.0);
  EXPECT_EQ(s->option_bool(call, "loud", &b, &error), AM_OK);
  EXPECT_TRUE(b);
  EXPECT_EQ(s->option_integer(call, "ratio", &i, &error), AM_INVALID_ARGUMENT);
  EXPECT_EQ(std::string(error.data, error.len),
            "demo run: option --ratio: expected an integer, got 0.5");
  i = 99;
  EXPECT_EQ(s->option_integer(call, "absent", &i, &error), AM_NOT_FOUND);
  EXPECT_EQ(i, 99);  // untouched: a default set beforehand stays
  EXPECT_EQ(std::string(error.data, error.len),
            "demo run: option --absent was not given (expected an integer)");
  EXPECT_TRUE(s->has_option(call, "title"));
  EXPECT_FALSE(s->has_option(call, "absent"));

  EXPECT_EQ(s->field_string(call, "niche", &str, &error), AM_OK);
  EXPECT_EQ(std::string(str.data, str.len), "cooking");
  EXPECT_EQ(s->field_string(call, "per_day", &str, &error), AM_INVALID_ARGUMENT);
  EXPECT_EQ(std::string(error.data, error.len),
            "demo run, account 'news': field 'per_day': expected a string, got 3");
  EXPECT_EQ(s->field_bool(call, "shorts", &b, &error), AM_NOT_FOUND);
  EXPECT_EQ(std::string(error.data, error.len),
            "demo run, account 'news': field 'shorts' is missing (expected true or false)");

  ASSERT_EQ(s->arg_count(call), 2u);
  EXPECT_EQ(std::string(s->arg(call, 1).data, s->arg(call, 1).len), "two");
  EXPECT_EQ(s->arg(call, 2).data, nullptr);
  EXPECT_EQ(std::string(s->account_nickname(call).data, s->account_nickname(call).len), "news");
  EXPECT_EQ(std::string(s->account_id(call).data, s->account_id(call).len), "7");
}

TEST(ArgsService, WithoutAccountFieldsAreMissingAndForeignCallsAreRefused) {
  ActionCall c("demo", "run",
               json::parse(R"({"account": null, "options": {}, "args": []})").as_object(), nullptr,
               nullptr, nullptr);
  const am_args *s = args_service();
  am_str str{}, error{};
  EXPECT_EQ(s->field_string(c.call(), "niche", &str, &error), AM_NOT_FOUND);
  EXPECT_EQ(std::string(error.data, error.len),
            "demo run: field 'niche': no account was given (--account), expected a string");
  EXPECT_EQ(s->account_nickname(c.call()).data, nullptr);

  // A call the host did not make (a 1.0-sized one, or one with a foreign host_data).
  am_action_call foreign{};
  foreign.struct_size = 64;
  EXPECT_FALSE(s->usable(&foreign));
  EXPECT_EQ(s->option_string(&foreign, "x", &str, &error), AM_INTERNAL);
  EXPECT_EQ(s->arg_count(&foreign), 0u);
  am_action_call copy = *c.call();  // same host_data, another address
  EXPECT_FALSE(s->usable(&copy));
}

TEST(ArgsService, TheRefusalReasonIsKept) {
  ActionCall c("demo", "run", json::object{{"options", json::object{}}}, nullptr, nullptr, nullptr);
  EXPECT_EQ(c.refusal(), "");
  c.call()->set_refusal(c.call(), am_str{"paused", 6});
  EXPECT_EQ(c.refusal(), "paused");
}
