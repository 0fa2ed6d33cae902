// plugins/afm/plugin_entry.cpp — the affiliate plugin's entry: describe, and the actions
// add / list / remove (products in the store), pitch (write and show) and run (write the
// pitch and share it through another plugin's publisher in "automuse.publish/1", recorded in
// history with the post's id).
#include <automuse/plugin.h>
#include <automuse/publish.h>
#include <automuse/store.h>

#include <algorithm>
#include <automuse/cpp/args.hpp>
#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/config.hpp>
#include <automuse/cpp/plugin.hpp>
#include <automuse/cpp/publish.hpp>
#include <boost/json.hpp>
#include <functional>
#include <map>
#include <optional>

#include "action_account.hpp"
#include "amazon_url.hpp"
#include "pitch_check.hpp"
#include "pitch_writer.hpp"
#include "product_facts.hpp"
#include "products.hpp"
#include "settings.hpp"

namespace {

namespace json = boost::json;
using afm::Account;
using afm::Product;

am::host g_host;

afm::PluginSettings load_settings(const am::host &host) {
  return afm::parse_settings(am::plugin_section(host));
}

// --account, or the only afm account; none is fine when products carry what is needed.
std::optional<Account> action_account(const am::host &host, const am::args &args) {
  const plugin_support::AccountChoice choice = plugin_support::choose_account(host, args);
  if (choice.account_json) return afm::parse_account(*choice.account_json);
  if (choice.stored > 1)
    throw am::error(AM_INVALID_ARGUMENT,
                    "several afm accounts: choose one with --account (see `automuse-host "
                    "accounts list --plugin afm`)");
  return std::nullopt;
}

// What one product resolves to with the account's defaults.
struct Resolved {
  Product product;
  std::string marketplace, partner_tag, link;
  afm::ShareTarget share;
};

Resolved resolve(const Product &p, const std::optional<Account> &account) {
  Resolved r;
  r.product = p;
  r.marketplace = !p.marketplace.empty() ? p.marketplace
                  : account              ? account->marketplace
                                         : std::string("www.amazon.com");
  r.partner_tag = !p.partner_tag.empty() ? p.partner_tag : account ? account->partner_tag : "";
  if (r.partner_tag.empty())
    throw am::error(AM_INVALID_ARGUMENT,
                    "product " + p.id +
                        " has no partner tag: add it with a tagged link, or "
                        "set partner_tag on the afm account (`automuse-host accounts add --plugin "
                        "afm --set partner_tag=yourtag-20`)");
  try {
    r.link = afm::tagged_link(r.marketplace, p.asin, r.partner_tag);
  } catch (const std::invalid_argument &e) {
    throw am::error(AM_INVALID_ARGUMENT, "product " + p.id + ": " + e.what());
  }
  if (!p.share_plugin.empty()) {
    r.share = {p.share_plugin, p.share_account};
  } else if (account && !account->share_with.empty()) {
    r.share = afm::parse_share_with(account->share_with, "share_with");
  } else {
    throw am::error(AM_INVALID_ARGUMENT, "product " + p.id +
                                             " has nowhere to be shared: add it with "
                                             "--share-with twitter:ACCOUNT or set share_with "
                                             "on the afm account");
  }
  return r;
}

// The product to pitch: --product, else the one pitched longest ago (never pitched first).
Product choose_product(const am::host &host, const am::args &args) {
  if (std::string id = args.option("product", ""); !id.empty()) return afm::get_product(host, id);
  auto products = afm::list_products(host);
  if (products.empty())
    throw am::error(AM_NOT_FOUND,
                    "no products yet: add one with `automuse-host --plugin afm add "
                    "--link URL --share-with twitter:ACCOUNT`");
  const auto &store = host.service<am_store>(AM_STORE_SERVICE_ID);
  am::buffer out, error;
  const std::string query = R"({"kind":"pitch","status":"published","limit":0})";
  std::map<std::string, int64_t> last;
  if (store.list_history(host.get(), am::to_am_str(query), out.out(), error.out()) == AM_OK) {
    json::value history = json::parse(out.view());
    for (const auto &h : history.as_array()) {
      const auto &o = h.as_object();
      auto *extra = o.if_contains("extra");
      auto *pid =
          extra && extra->is_object() ? extra->as_object().if_contains("product_id") : nullptr;
      auto *at = o.if_contains("created_at");
      if (pid && pid->is_string() && at && at->is_number()) {
        int64_t t = static_cast<int64_t>(at->to_number<double>());
        auto &slot = last[std::string(pid->as_string())];
        slot = std::max(slot, t);
      }
    }
  }
  const Product *best = nullptr;
  int64_t best_at = 0;
  for (const auto &p : products) {
    int64_t at = last.count(p.id) ? last[p.id] : -1;
    if (!best || at < best_at) best = &p, best_at = at;
  }
  return *best;
}

std::string history_call(const char *what,
                         const std::function<am_status(am_buffer *, am_buffer *)> &f) {
  am::buffer out, error;
  am_status s = f(out.out(), error.out());
  if (s != AM_OK) throw am::error(s, std::string("history: ") + what + ": " + error.str());
  return out.str();
}

am::task<std::string> add_action(am::job job, am::args args, std::optional<Account> account) {
  const am::host &host = job.host_ref();
  Product p;
  p.link = args.option("link", "");
  std::string asin = args.option("asin", "");
  if (p.link.empty() == asin.empty())
    throw am::error(AM_INVALID_ARGUMENT, "add needs --link URL or --asin ASIN (one of them)");
  if (!p.link.empty()) {
    auto follow = afm::resolve_link(job, load_settings(host), p.link);
    afm::LinkInfo info = co_await std::move(follow);
    p.asin = info.asin;
    p.marketplace = info.marketplace;
    p.partner_tag = info.partner_tag;
  } else {
    for (char &c : asin) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!afm::is_asin(asin))
      throw am::error(AM_INVALID_ARGUMENT,
                      "--asin '" + asin + "' is not an ASIN (10 letters or digits)");
    p.asin = asin;
  }
  if (auto m = args.option("marketplace", ""); !m.empty()) {
    try {
      p.marketplace = afm::marketplace_host(m);
    } catch (const std::invalid_argument &e) {
      throw am::error(AM_INVALID_ARGUMENT, std::string("--marketplace: ") + e.what());
    }
  }
  if (auto t = args.option("tag", ""); !t.empty()) p.partner_tag = t;
  if (auto s = args.option("share-with", ""); !s.empty()) {
    afm::ShareTarget target = afm::parse_share_with(s, "--share-with");
    p.share_plugin = target.plugin;
    p.share_account = target.account;
  }
  p.notes = args.option("notes", "");
  Resolved r = resolve(p, account);  // refuses a product that could never be shared
  am::publisher_client(host).require(r.share.plugin, AM_PUBLISH_TEXT);
  Product stored = afm::add_product(host, p);
  co_return afm::product_json(stored, r.link);
}

am::task<std::string> pitch_or_run(am::job job, am::args args, std::optional<Account> account,
                                   bool share) {
  const am::host &host = job.host_ref();
  afm::PluginSettings settings = load_settings(host);
  if (!share && args.option("product", "").empty())
    throw am::error(AM_INVALID_ARGUMENT,
                    "pitch needs --product ID (see `automuse-host --plugin afm list`)");
  Product product = choose_product(host, args);
  Resolved r = resolve(product, account);
  am::publisher_client publish(host);
  if (share) publish.require(r.share.plugin, AM_PUBLISH_TEXT);  // loads it when needed

  afm::FactsQuery query;
  query.asin = product.asin;
  query.marketplace = r.marketplace;
  query.partner_tag = r.partner_tag;
  query.no_cache = args.option_bool("no-cache", false);
  Account acc = account.value_or(Account{});
  auto facts_task = afm::product_facts(job, settings, acc, query);
  afm::Facts facts = co_await std::move(facts_task);

  afm::PitchRequest pr;
  pr.facts = facts;
  pr.notes = product.notes;
  pr.language = account ? account->language : std::string("English");
  pr.disclosure =
      account && !account->disclosure.empty() ? account->disclosure : settings.disclosure;
  pr.link = r.link;
  pr.account_id = acc.id;
  // The publisher's own limit (its text rules), or afm's setting where it has none.
  pr.publisher = r.share.plugin;
  const int publisher_max = publish.measure(r.share.plugin, "").max_length;
  pr.max_length = publisher_max > 0 ? publisher_max : settings.max_pitch_length;
  pr.rewrites = settings.llm_rewrites;
  auto writing = afm::write_pitch(job, pr);
  afm::Pitch pitch = co_await std::move(writing);

  json::object result{{"product_id", product.id},
                      {"asin", product.asin},
                      {"title", facts.title},
                      {"facts_source", facts.source},
                      {"pitch", pitch.text},
                      {"length", pitch.length},
                      {"max_length", pr.max_length},
                      {"drafts", pitch.drafts},
                      {"link", r.link},
                      {"share_with", r.share.plugin + ":" + r.share.account}};
  if (!share) co_return json::serialize(result);

  // Intent first: a crash after the post leaves a "generated" record, not nothing.
  const auto &store = host.service<am_store>(AM_STORE_SERVICE_ID);
  json::object record{
      {"account_id", acc.id.empty() ? json::value(nullptr) : json::value(acc.id)},
      {"kind", "pitch"},
      {"title", facts.title},
      {"body", pitch.text},
      {"status", "generated"},
      {"extra", json::object{{"product_id", product.id},
                             {"asin", product.asin},
                             {"link", r.link},
                             {"share_with", r.share.plugin + ":" + r.share.account}}}};
  const std::string record_text = json::serialize(record);
  json::value added = json::parse(history_call("add", [&](am_buffer *out, am_buffer *err) {
    return store.add_history(host.get(), am::to_am_str(record_text), out, err);
  }));
  const std::string history_id(added.as_object().at("id").as_string());

  am::publish_content content;
  content.text = pitch.text;
  am::published posted;
  try {
    auto sending = publish.send(job, r.share.plugin, r.share.account, content);
    posted = co_await sending;
  } catch (const am::error &e) {
    const std::string patch =
        json::serialize(json::object{{"status", "failed"}, {"error", e.what()}});
    am::buffer ignored;
    store.update_history(host.get(), am::to_am_str(history_id), am::to_am_str(patch), nullptr,
                         ignored.out());
    throw;
  }
  const std::string patch = json::serialize(
      json::object{{"status", "published"}, {"remote_id", posted.id}, {"remote_url", posted.url}});
  history_call("update", [&](am_buffer *out, am_buffer *err) {
    return store.update_history(host.get(), am::to_am_str(history_id), am::to_am_str(patch), out,
                                err);
  });
  result["history_id"] = history_id;
  result["post"] = json::object{{"id", posted.id}, {"url", posted.url}};
  co_return json::serialize(result);
}

am::task<std::string> run_action(am::job job, am::action_request request) {
  const am::host &host = job.host_ref();
  const am::args args(host, request.call);
  std::optional<Account> account = action_account(host, args);
  if (request.action == "add") {
    auto t = add_action(job, args, account);
    co_return co_await std::move(t);
  }
  if (request.action == "list") {
    json::array out;
    for (const auto &p : afm::list_products(host)) {
      std::string link;
      try {
        link = resolve(p, account).link;
      } catch (const am::error &) {
      }
      out.push_back(json::parse(afm::product_json(p, link)));
    }
    co_return json::serialize(out);
  }
  if (request.action == "remove") {
    std::string id = args.option("product", "");
    if (const auto words = args.positional(); id.empty() && !words.empty()) id = words[0];
    if (id.empty()) throw am::error(AM_INVALID_ARGUMENT, "remove needs --product ID");
    afm::remove_product(host, id);
    co_return json::serialize(json::object{{"removed", id}});
  }
  auto t = pitch_or_run(job, args, account, request.action == "run");
  co_return co_await std::move(t);
}

am_status afm_init(const am_host *host) {
  return am::guard([&] {
    g_host = am::host(host);
    g_host.service<am_job_service>(AM_JOB_SERVICE_ID);
    g_host.service<am_store>(AM_STORE_SERVICE_ID);
  });
}

void afm_deinit() {
  g_host = am::host();
}

am_str afm_describe() {
  static const char kDescription[] = R"json({
  "description": "Affiliate marketing: Amazon product facts (Creators API or the product page), an honest pitch by the LLM, shared through a publisher plugin such as twitter",
  "account_fields": [
    {"name": "partner_tag", "type": "string", "help": "Amazon Associates tracking id (e.g. yourtag-20), added to every shared link"},
    {"name": "marketplace", "type": "string", "default": "www.amazon.com", "help": "Amazon marketplace host"},
    {"name": "share_with", "type": "string", "help": "Where pitches go by default: PLUGIN:ACCOUNT, e.g. twitter:main"},
    {"name": "language", "type": "string", "default": "English", "help": "Language of the pitches"},
    {"name": "disclosure", "type": "string", "help": "Affiliate disclosure added to each pitch (default plugins.afm.disclosure, #ad)"},
    {"name": "creators_credential_id", "type": "string", "help": "Amazon Creators API credential id (without it afm reads the product page)"},
    {"name": "creators_credential_secret", "type": "string", "secret": true, "help": "Amazon Creators API credential secret"},
    {"name": "creators_version", "type": "string", "enum": ["3.x", "2.x"], "default": "3.x", "help": "Creators API credential generation"}
  ],
  "actions": [
    {"name": "run", "summary": "Pitch a product (--product ID, or the one pitched longest ago) and share it",
     "options": [{"name": "product", "type": "string", "help": "The product's id"},
                 {"name": "no-cache", "type": "boolean", "help": "Fetch the product's facts again"}]},
    {"name": "pitch", "summary": "Write and show a product's pitch without sharing it",
     "options": [{"name": "product", "type": "string", "help": "The product's id"},
                 {"name": "no-cache", "type": "boolean", "help": "Fetch the product's facts again"}]},
    {"name": "add", "summary": "Add a product from an Amazon link or an ASIN",
     "options": [{"name": "link", "type": "string", "help": "Amazon product or short link"},
                 {"name": "asin", "type": "string", "help": "The ASIN, instead of a link"},
                 {"name": "share-with", "type": "string", "help": "PLUGIN:ACCOUNT to share pitches with"},
                 {"name": "tag", "type": "string", "help": "Partner tag for this product"},
                 {"name": "marketplace", "type": "string", "help": "Marketplace host"},
                 {"name": "notes", "type": "string", "help": "Notes the pitch may use"}]},
    {"name": "list", "summary": "List the products", "options": []},
    {"name": "remove", "summary": "Remove a product",
     "options": [{"name": "product", "type": "string", "help": "The product's id"}]}
  ]
})json";
  return am::to_am_str(kDescription);
}

am_status afm_start_action(const am_action_call *call) {
  const auto action = am::view(call->action);
  if (action != "run" && action != "pitch" && action != "add" && action != "list" &&
      action != "remove")
    return AM_UNSUPPORTED;
  return am::start_coroutine_action(g_host.get(), call, run_action);
}

}  // namespace

extern "C" AM_EXPORT const am_plugin_entry automuse_plugin_entry = {AM_ABI_VERSION_INIT,
                                                                    sizeof(am_plugin_entry),
                                                                    "afm",
                                                                    "Amazon affiliate pitches",
                                                                    "0.1.0",
                                                                    afm_init,
                                                                    afm_deinit,
                                                                    afm_describe,
                                                                    afm_start_action};
