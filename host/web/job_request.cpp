// host/web/job_request.cpp — checking a start request against the plugin's description.
#include "web/job_request.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <fstream>

#include "core/atomic_file.hpp"
#include "schedule/approval.hpp"
#include "web/api_json.hpp"
#include "web/credentials.hpp"

namespace automuse::web {
namespace json = boost::json;

namespace {

bool mentions(std::string text, std::string_view word) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text.find(word) != std::string::npos;
}

// The declared options of `action` by name (an action without a list accepts none here).
std::map<std::string, json::object> declared(const json::object &plugin,
                                             const std::string &action) {
  std::map<std::string, json::object> out;
  for (const char *key : {"action_options", "options"}) {
    auto *all = plugin.if_contains(key);
    auto *list = all && all->is_object() ? all->as_object().if_contains(action) : nullptr;
    if (!list || !list->is_array()) continue;
    for (auto &o : list->as_array())
      if (auto *spec = o.if_object();
          spec && spec->contains("name") && spec->at("name").is_string())
        out.try_emplace(std::string(spec->at("name").as_string()), *spec);
  }
  return out;
}

std::string option_text(const std::string &name, const json::value &v) {
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  if (v.is_number()) return json::serialize(v);
  throw ApiError(http::status::bad_request, "invalid_option",
                 "option '" + name + "' must be a string, a number or a boolean");
}

// "key=value" for every option, checked against the declaration.
std::vector<std::string> option_sets(const json::object &plugin, const std::string &action,
                                     const json::object &options) {
  const auto specs = declared(plugin, action);
  std::vector<std::string> sets;
  for (const auto &[key, value] : options) {
    const std::string name(key);
    auto spec = specs.find(name);
    if (spec == specs.end()) {
      std::string listing;
      for (auto &[n, s] : specs) listing += (listing.empty() ? "" : ", ") + n;
      throw ApiError(http::status::bad_request, "unknown_option",
                     "action '" + action + "' has no option '" + name +
                         "' (its options: " + (listing.empty() ? "none" : listing) + ")");
    }
    const json::value *help = spec->second.if_contains("help");
    if (help && help->is_string() &&
        (mentions(std::string(help->as_string()), "file") ||
         mentions(std::string(help->as_string()), "folder")))
      throw ApiError(http::status::bad_request, "path_option",
                     "option '" + name +
                         "' names a file or folder on the server, which the API "
                         "does not accept" +
                         (name == "script" ? "; send the script as script_text" : std::string()));
    sets.push_back(name + "=" + option_text(name, value));
  }
  return sets;
}

// script_text kept as <data_dir>/web/scripts/RANDOM.txt: the path the script option gets.
std::string keep_script(ApiContext &api, const std::string &text) {
  if (text.empty() || text.size() > 64 * 1024)
    throw ApiError(http::status::bad_request, "invalid_field",
                   "'script_text' must hold 1 to 65536 bytes");
  const auto file = api.data_dir / "scripts" / (random_secret(12) + ".txt");
  std::filesystem::create_directories(file.parent_path());
  core::write_file_atomically(file, text);
  return file.string();
}

std::vector<std::string> topics_of(const json::object &body) {
  std::vector<std::string> topics;
  const json::value *t = body.if_contains("topics");
  if (!t) return topics;
  if (!t->is_array() || t->as_array().empty() || t->as_array().size() > kMaxBatch)
    throw ApiError(http::status::bad_request, "invalid_field",
                   "'topics' must be an array of 1 to " + std::to_string(kMaxBatch) + " strings");
  for (auto &v : t->as_array()) {
    if (!v.is_string() || v.as_string().empty())
      throw ApiError(http::status::bad_request, "invalid_field",
                     "'topics' must hold non-empty strings");
    topics.emplace_back(v.as_string());
  }
  return topics;
}

// "required" when the request asks for approval, or its account requires it and the action
// can wait for it; "none" otherwise. A request cannot waive its account's requirement.
std::string approval_of(const json::object &body, const json::object &plugin,
                        const schedule::Job &job, const std::optional<store::Account> &account) {
  const auto asked = opt_string(body, "approval");
  if (asked && *asked != "required" && *asked != "none")
    throw ApiError(http::status::bad_request, "invalid_field",
                   "'approval' must be \"required\" or \"none\", got \"" + *asked + "\"");
  const bool can_wait = schedule::approval_split(plugin, job.action).has_value();
  if (asked == "required" && !can_wait) {
    std::string which;
    if (auto *all = plugin.if_contains("actions"); all && all->is_array())
      for (auto &a : all->as_array())
        if (a.is_string() && schedule::approval_split(plugin, std::string(a.as_string())))
          which += (which.empty() ? "" : ", ") + std::string(a.as_string());
    throw ApiError(http::status::bad_request, "approval_unsupported",
                   "action '" + job.action + "' of plugin '" + job.plugin_id +
                       "' cannot wait for approval (it publishes nothing, or its plugin declares "
                       "no approval split); actions that can: " +
                       (which.empty() ? "none" : which));
  }
  if (asked == "required") return "required";
  return can_wait && account && account->approval == "required" ? "required" : "none";
}

}  // namespace

std::vector<schedule::Job> jobs_of_request(ApiContext &api, const json::object &body) {
  schedule::Job job;
  job.plugin_id = need_string(body, "plugin");
  const json::object *plugin = api.plugin(job.plugin_id);
  if (!plugin)
    throw ApiError(http::status::bad_request, "unknown_plugin",
                   "no plugin '" + job.plugin_id + "' is installed");
  job.action = need_string(body, "action");
  const json::value *actions = plugin->if_contains("actions");
  if (!actions || !actions->is_array() ||
      std::find(actions->as_array().begin(), actions->as_array().end(), json::value(job.action)) ==
          actions->as_array().end())
    throw ApiError(http::status::bad_request, "unknown_action",
                   "plugin '" + job.plugin_id + "' has no action '" + job.action + "'");
  std::optional<store::Account> account;
  if (auto name = opt_string(body, "account")) {
    try {
      account = api.store.resolve_account(*name, job.plugin_id);
      job.account_id = account->id;
    } catch (const store::StoreError &) {
      throw ApiError(http::status::bad_request, "unknown_account",
                     "plugin '" + job.plugin_id + "' has no account '" + *name + "'");
    }
  }
  job.approval = approval_of(body, *plugin, job, account);
  json::object options;
  if (auto *o = body.if_contains("options")) {
    if (!o->is_object())
      throw ApiError(http::status::bad_request, "invalid_field", "'options' must be an object");
    options = o->as_object();
  }
  std::vector<std::string> sets = option_sets(*plugin, job.action, options);
  const std::vector<std::string> topics = topics_of(body);
  if (!topics.empty() && !declared(*plugin, job.action).count("topic"))
    throw ApiError(http::status::bad_request, "unknown_option",
                   "action '" + job.action + "' has no option 'topic', so 'topics' cannot be used");
  if (auto script = opt_string(body, "script_text")) {
    if (!declared(*plugin, job.action).count("script"))
      throw ApiError(http::status::bad_request, "unknown_option",
                     "action '" + job.action + "' takes no script");
    sets.push_back("script=" + keep_script(api, *script));
  }
  std::vector<schedule::Job> jobs;
  for (size_t i = 0; i < std::max<size_t>(1, topics.size()); ++i) {
    schedule::Job j = job;
    std::vector<std::string> s = sets;
    if (!topics.empty()) s.push_back("topic=" + topics[i]);
    j.request =
        json::serialize(json::object{{"sets", json::value_from(s)}, {"extras", json::array()}});
    jobs.push_back(std::move(j));
  }
  return jobs;
}

}  // namespace automuse::web
