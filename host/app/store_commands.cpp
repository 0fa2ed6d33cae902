// host/app/store_commands.cpp — the accounts, history, cache and import commands.
#include "app/store_commands.hpp"

#include <iostream>
#include <map>
#include <memory>

#include "app/text_table.hpp"
#include "cache/duration.hpp"
#include "import/mpv2_import.hpp"
#include "log/redaction.hpp"
#include "schedule/approval.hpp"

namespace automuse::store {

namespace json = boost::json;

namespace {

struct Streams {
  std::ostream &out;
  std::ostream &err;
  std::istream &in;
};

Streams streams(const StoreContext &c) {
  return {c.out ? *c.out : std::cout, c.err ? *c.err : std::cerr, c.in ? *c.in : std::cin};
}

// Runs one command, turning exceptions into a message and exit status 1.
void run(const std::function<StoreContext()> &context, int *exit_code,
         const std::function<int(StoreContext &, Streams &)> &body) {
  StoreContext ctx;
  try {
    ctx = context();
  } catch (const std::exception &e) {
    std::cerr << "automuse-host: " << log::redact(e.what()) << "\n";
    *exit_code = 1;
    return;
  }
  Streams s = streams(ctx);
  try {
    *exit_code = body(ctx, s);
  } catch (const std::exception &e) {
    s.err << "automuse-host: " << log::redact(e.what()) << "\n";
    *exit_code = 1;
  }
}

std::string date_text(int64_t t) {
  std::string iso = iso_utc(t);  // 2024-03-05T14:07:09Z -> 2024-03-05 14:07
  return iso.substr(0, 10) + " " + iso.substr(11, 5);
}

std::string fields_text(const json::object &fields) {
  std::string out;
  for (const auto &kv : fields) {
    const json::value &v = kv.value();
    out += (out.empty() ? "" : ", ") + std::string(kv.key()) + "=" +
           (v.is_string() ? std::string(v.as_string()) : json::serialize(v));
  }
  return out;
}

std::optional<AccountSchema> schema_for(StoreContext &ctx, const std::string &plugin) {
  if (!ctx.account_schema) return std::nullopt;
  std::optional<std::string> text = ctx.account_schema(plugin);
  if (!text) return std::nullopt;
  return AccountSchema::parse(*text, plugin);
}

// "--set a=1 --set b=x" into typed JSON fields. A secret field given as "-" is read from
// stdin, so it appears neither in the shell history nor in `ps`.
json::object parse_sets(const std::vector<std::string> &sets, const AccountSchema &schema,
                        const std::string &nickname, Streams &s) {
  json::object fields;
  for (const std::string &set : sets) {
    size_t eq = set.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw StoreError("--set expects field=value, got '" + set + "'");
    }
    std::string name = set.substr(0, eq), value = set.substr(eq + 1);
    const FieldSpec *spec = schema.find(name);
    if (spec && spec->secret && value == "-") {
      s.err << name << ": ";
      if (!std::getline(s.in, value)) throw StoreError("no value for " + name + " on stdin");
    }
    fields[name] = schema.coerce(nickname, name, value);
  }
  return fields;
}

// --approval: "required" or "none"; only an account of a plugin with an action that can wait
// for approval (schedule/approval.hpp) may require it.
void check_approval(StoreContext &ctx, const std::string &plugin, const std::string &approval) {
  if (approval != "required" && approval != "none")
    throw StoreError("--approval must be required or none, got '" + approval + "'");
  if (approval != "required" || !ctx.account_schema) return;
  const std::optional<std::string> text = ctx.account_schema(plugin);
  boost::system::error_code ec;
  const json::value d = text ? json::parse(*text, ec) : json::value();
  if (ec || !d.is_object() || !schedule::any_approval_split(d.as_object()))
    throw StoreError("plugin '" + plugin +
                     "' has no action that can wait for approval, so its accounts cannot "
                     "require it");
}

json::object account_json(Store &store, const Account &a) {
  json::object o = to_json(a);
  o["approval"] = a.approval;
  json::array secrets;
  for (const std::string &n : store.secret_names(a.id)) secrets.push_back(json::string(n));
  o["secrets"] = secrets;  // names only, never values
  return o;
}

int accounts_list(StoreContext &ctx, Streams &s, const std::optional<std::string> &plugin,
                  bool as_json) {
  Store &store = ctx.store();
  std::vector<Account> accounts = store.list_accounts(plugin);
  if (as_json) {
    json::array arr;
    for (const Account &a : accounts) arr.push_back(account_json(store, a));
    s.out << json::serialize(arr) << "\n";
    return 0;
  }
  if (accounts.empty()) {
    s.out << "No accounts" << (plugin ? " for " + *plugin : "")
          << ". Add one with: automuse-host accounts add --plugin P --nickname N --set "
             "field=value\n";
    return 0;
  }
  TextTable t({"PLUGIN", "NICKNAME", "ID", "FIELDS"});
  for (const Account &a : accounts) t.add({a.plugin_id, a.nickname, a.id, fields_text(a.fields)});
  s.out << t.render();
  return 0;
}

int accounts_add(StoreContext &ctx, Streams &s, const std::string &plugin,
                 const std::string &nickname, const std::vector<std::string> &sets, bool as_json,
                 const std::string &approval) {
  std::optional<AccountSchema> schema = schema_for(ctx, plugin);
  if (!schema) {
    throw StoreError("no plugin '" + plugin +
                     "' is installed, so its account fields cannot be checked (see: "
                     "automuse-host plugins list)");
  }
  NewAccount in;
  in.plugin_id = plugin;
  in.nickname = nickname;
  in.fields = parse_sets(sets, *schema, nickname, s);
  if (!approval.empty()) check_approval(ctx, plugin, approval);
  Store &store = ctx.store();
  Account a;
  store.transaction([&] {
    a = store.add_account(std::move(in), &*schema);
    if (!approval.empty()) a = store.set_account_approval(a.id, approval);
  });
  if (as_json) {
    s.out << json::serialize(account_json(store, a)) << "\n";
  } else {
    s.out << "Added " << plugin << " account '" << nickname << "' (id " << a.id << ")\n";
  }
  return 0;
}

int accounts_show(StoreContext &ctx, Streams &s, const std::string &name,
                  const std::optional<std::string> &plugin, bool as_json) {
  Store &store = ctx.store();
  Account a = store.resolve_account(name, plugin);
  std::optional<OAuthToken> token = store.get_oauth_token(a.id);
  std::vector<HistoryRecord> recent = store.list_history({.account_id = a.id, .limit = 5});
  if (as_json) {
    json::object o = account_json(store, a);
    if (token) {
      o["oauth"] = {
          {"provider", token->provider},
          {"expires_at", token->expires_at ? json::value(*token->expires_at) : json::value()},
          {"has_refresh_token", token->refresh_token.has_value()}};
    }
    s.out << json::serialize(o) << "\n";
    return 0;
  }
  s.out << a.plugin_id << " account '" << a.nickname << "'\n";
  s.out << "  id:       " << a.id << "\n";
  s.out << "  approval: " << a.approval
        << (a.approval == "required" ? " (its jobs wait for approval before publishing)" : "")
        << "\n";
  s.out << "  created:  " << date_text(a.created_at) << " UTC, updated " << date_text(a.updated_at)
        << " UTC\n";
  s.out << "  fields:\n";
  if (a.fields.empty()) s.out << "    (none)\n";
  for (const auto &kv : a.fields) {
    const json::value &v = kv.value();
    s.out << "    " << kv.key() << " = "
          << (v.is_string() ? std::string(v.as_string()) : json::serialize(v)) << "\n";
  }
  std::vector<std::string> secrets = store.secret_names(a.id);
  if (!secrets.empty()) {
    s.out << "  secrets:\n";
    for (const std::string &n : secrets) s.out << "    " << n << " = (set)\n";
  }
  if (!a.extra.empty()) s.out << "  kept from import: " << fields_text(a.extra) << "\n";
  s.out << "  authorised: ";
  if (token) {
    s.out << "yes (" << token->provider
          << (token->expires_at ? ", access token until " + date_text(*token->expires_at) + " UTC"
                                : std::string())
          << ")\n";
  } else {
    s.out << "no\n";
  }
  s.out << "  recent history:" << (recent.empty() ? " (none)" : "") << "\n";
  for (const HistoryRecord &h : recent) {
    s.out << "    " << date_text(h.created_at) << "  " << h.kind << "  " << h.status << "  "
          << one_line(h.title.value_or(h.body.value_or("")), 50) << "\n";
  }
  return 0;
}

int accounts_set(StoreContext &ctx, Streams &s, const std::string &name,
                 const std::optional<std::string> &plugin, const std::vector<std::string> &sets,
                 const std::string &approval) {
  Store &store = ctx.store();
  Account a = store.resolve_account(name, plugin);
  std::optional<AccountSchema> schema = schema_for(ctx, a.plugin_id);
  if (!schema) {
    throw StoreError("no plugin '" + a.plugin_id +
                     "' is installed, so the new values cannot be checked");
  }
  if (sets.empty() && approval.empty())
    throw StoreError("nothing to change: give --set field=value or --approval");
  if (!approval.empty()) check_approval(ctx, a.plugin_id, approval);
  json::object fields = parse_sets(sets, *schema, a.nickname, s);
  store.transaction([&] {
    if (!fields.empty()) store.update_account_fields(a.id, fields, &*schema);
    if (!approval.empty()) store.set_account_approval(a.id, approval);
  });
  s.out << "Updated " << a.plugin_id << " account '" << a.nickname << "'"
        << (approval.empty() ? "" : " (approval: " + approval + ")") << "\n";
  return 0;
}

int accounts_remove(StoreContext &ctx, Streams &s, const std::string &name,
                    const std::optional<std::string> &plugin, bool yes) {
  Store &store = ctx.store();
  Account a = store.resolve_account(name, plugin);
  if (!yes) {
    size_t n = store.list_history({.account_id = a.id, .limit = 0}).size();
    s.err << "Remove " << a.plugin_id << " account '" << a.nickname << "' (id " << a.id
          << ") with its secrets and tokens? Its " << n << " history record"
          << (n == 1 ? " is" : "s are") << " kept. [y/N] ";
    std::string answer;
    if (!std::getline(s.in, answer)) s.err << "\n";  // no answer (end of input): a no
    if (answer != "y" && answer != "Y" && answer != "yes") {
      s.err << "Not removed.\n";
      return 1;
    }
  }
  store.remove_account(a.id);
  s.out << "Removed " << a.plugin_id << " account '" << a.nickname << "'\n";
  return 0;
}

struct HistoryArgs {
  std::optional<std::string> plugin, account, kind, status;
  int limit = 20;
  bool json = false;
};

int history(StoreContext &ctx, Streams &s, const HistoryArgs &args) {
  Store &store = ctx.store();
  HistoryQuery q;
  q.plugin_id = args.plugin;
  q.kind = args.kind;
  q.status = args.status;
  q.limit = args.limit;
  if (args.account) q.account_id = store.resolve_account(*args.account, args.plugin).id;
  std::vector<HistoryRecord> rows = store.list_history(q);
  if (args.json) {
    json::array arr;
    for (const HistoryRecord &h : rows) arr.push_back(to_json(h));
    // What plugins recorded is printed redacted, rows from before redaction was complete too.
    s.out << log::redact(json::serialize(arr)) << "\n";
    return 0;
  }
  if (rows.empty()) {
    s.out << "No history yet.\n";
    return 0;
  }
  std::map<std::string, std::string> nicknames;
  for (const Account &a : store.list_accounts()) nicknames[a.id] = a.nickname;
  TextTable t({"DATE (UTC)", "PLUGIN", "ACCOUNT", "KIND", "STATUS", "TITLE / TEXT", "WHERE"});
  for (const HistoryRecord &h : rows) {
    std::string account =
        h.account_id ? (nicknames.count(*h.account_id) ? nicknames[*h.account_id] : *h.account_id)
                     : "(removed)";
    std::string where = h.remote_url.value_or(h.local_file.value_or(""));
    if (h.status == "failed" && h.error) where = "error: " + *h.error;
    t.add({date_text(h.created_at), h.plugin_id, account, h.kind, h.status,
           log::redact(h.title.value_or(h.body.value_or(""))), log::redact(where)});
  }
  s.out << t.render();
  return 0;
}

int cache_stats(StoreContext &ctx, Streams &s, bool as_json) {
  cache::CacheStats st = ctx.cache().stats();
  if (as_json) {
    json::object o{{"dir", st.dir.string()},
                   {"entries", st.entries},
                   {"inline_entries", st.inline_entries},
                   {"blob_entries", st.blob_entries},
                   {"bytes", st.bytes},
                   {"max_bytes", st.max_bytes},
                   {"blob_files", st.blob_files},
                   {"blob_file_bytes", st.blob_file_bytes},
                   {"expired", st.expired},
                   {"hits", st.hits},
                   {"misses", st.misses},
                   {"evictions", st.evictions},
                   {"damaged", st.damaged}};
    s.out << json::serialize(o) << "\n";
    return 0;
  }
  int64_t lookups = st.hits + st.misses;
  s.out << "Cache in " << st.dir.string() << "\n"
        << "  entries:   " << st.entries << " (" << st.inline_entries << " in the index, "
        << st.blob_entries << " as blob files)\n"
        << "  size:      " << cache::format_bytes(st.bytes) << " of "
        << cache::format_bytes(st.max_bytes) << "\n"
        << "  blobs:     " << st.blob_files << " files, " << cache::format_bytes(st.blob_file_bytes)
        << " on disk\n"
        << "  expired:   " << st.expired << " (removed on next use or clear)\n"
        << "  hits:      " << st.hits << " of " << lookups << " lookups";
  if (lookups) s.out << " (" << (100 * st.hits / lookups) << "%)";
  s.out << "\n  evictions: " << st.evictions << ", damaged blobs found: " << st.damaged << "\n";
  return 0;
}

int cache_clear(StoreContext &ctx, Streams &s, const std::string &older_than) {
  std::optional<std::chrono::seconds> age;
  if (!older_than.empty()) {
    age = cache::parse_duration(older_than);
    if (!age) {
      throw StoreError("--older-than expects a duration such as 90s, 15m, 12h, 7d or 2w; got '" +
                       older_than + "'");
    }
  }
  cache::ClearResult r = ctx.cache().clear(age);
  s.out << "Removed " << r.entries << (r.entries == 1 ? " entry" : " entries") << " ("
        << cache::format_bytes(r.bytes) << ")";
  if (age) s.out << " stored more than " << cache::format_duration(*age) << " ago or expired";
  s.out << ", and " << r.files << " unused file" << (r.files == 1 ? "" : "s") << "\n";
  return 0;
}

int import_mpv2_command(StoreContext &ctx, Streams &s, const std::string &path, bool as_json) {
  import::ImportReport r = import::import_mpv2(ctx.store(), path);
  if (as_json) {
    s.out << json::serialize(r.to_json()) << "\n";
  } else {
    s.out << r.to_text();
  }
  // Partly readable input is still a success of what could be read, but say so in the status.
  return r.problems.empty() ? 0 : 1;
}

std::optional<std::string> opt(const std::string &s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

}  // namespace

void add_store_commands(CLI::App &app, const std::function<StoreContext()> &context,
                        int *exit_code) {
  // ---- accounts
  auto *accounts = app.add_subcommand("accounts", "Manage the accounts plugins act for");
  accounts->require_subcommand(1);

  struct ListArgs {
    std::string plugin;
    bool json = false;
  };
  auto la = std::make_shared<ListArgs>();
  auto *list = accounts->add_subcommand("list", "List accounts");
  list->add_option("--plugin", la->plugin, "Only this plugin's accounts");
  list->add_flag("--json", la->json, "Print a JSON array (secret values never included)");
  list->callback([=] {
    run(context, exit_code, [&](StoreContext &c, Streams &s) {
      return accounts_list(c, s, opt(la->plugin), la->json);
    });
  });

  struct AddArgs {
    std::string plugin, nickname;
    std::vector<std::string> sets;
    bool json = false;
    std::string approval;
  };
  auto aa = std::make_shared<AddArgs>();
  auto *add =
      accounts->add_subcommand("add", "Add an account, checked against the plugin's fields");
  add->add_option("--plugin", aa->plugin, "The plugin the account is for")->required();
  add->add_option("--nickname", aa->nickname, "A name unique within the plugin")->required();
  add->add_option("--set", aa->sets,
                  "field=value (repeatable); a secret field given as '-' is read from stdin");
  add->add_flag("--json", aa->json, "Print the new account as JSON");
  add->add_option("--approval", aa->approval,
                  "required: the account's jobs stop after making, awaiting approval (jobs "
                  "approve|reject), before anything is published; none (the default)");
  add->callback([=] {
    run(context, exit_code, [&](StoreContext &c, Streams &s) {
      return accounts_add(c, s, aa->plugin, aa->nickname, aa->sets, aa->json, aa->approval);
    });
  });

  struct OneArgs {
    std::string name, plugin;
    std::vector<std::string> sets;
    bool json = false, yes = false;
    std::string approval;
  };
  // show, set and remove name one account: a nickname or id, with its plugin when ambiguous.
  auto one_account = [&](const char *name, const char *what, OneArgs &args) {
    CLI::App *cmd = accounts->add_subcommand(name, what);
    cmd->add_option("NAME", args.name, "Nickname or id")->required();
    cmd->add_option("--plugin", args.plugin, "When the nickname is used by several plugins");
    return cmd;
  };
  auto sa = std::make_shared<OneArgs>();
  auto *show = one_account("show", "Show one account (secret values hidden)", *sa);
  show->add_flag("--json", sa->json, "Print JSON");
  show->callback([=] {
    run(context, exit_code, [&](StoreContext &c, Streams &s) {
      return accounts_show(c, s, sa->name, opt(sa->plugin), sa->json);
    });
  });

  auto ua = std::make_shared<OneArgs>();
  auto *set = one_account("set", "Change some fields of an account", *ua);
  set->add_option("--set", ua->sets, "field=value (repeatable)");
  set->add_option("--approval", ua->approval,
                  "required: the account's jobs stop after making, awaiting approval (jobs "
                  "approve|reject), before anything is published; none: they publish at once");
  set->callback([=] {
    run(context, exit_code, [&](StoreContext &c, Streams &s) {
      return accounts_set(c, s, ua->name, opt(ua->plugin), ua->sets, ua->approval);
    });
  });

  auto ra = std::make_shared<OneArgs>();
  auto *remove = one_account("remove", "Remove an account with its secrets", *ra);
  remove->add_flag("-y,--yes", ra->yes, "Do not ask for confirmation");
  remove->callback([=] {
    run(context, exit_code, [&](StoreContext &c, Streams &s) {
      return accounts_remove(c, s, ra->name, opt(ra->plugin), ra->yes);
    });
  });

  // ---- history
  struct HistoryCli {
    std::string plugin, account, kind, status;
    HistoryArgs args;
  };
  auto ha = std::make_shared<HistoryCli>();
  auto *hist = app.add_subcommand("history", "What was made and published, newest first");
  hist->add_option("--plugin", ha->plugin, "Only this plugin");
  hist->add_option("--account", ha->account, "Only this account (nickname or id)");
  hist->add_option("--kind", ha->kind, "video, post or pitch")
      ->check(CLI::IsMember({"video", "post", "pitch"}));
  hist->add_option("--status", ha->status, "generated, published or failed")
      ->check(CLI::IsMember({"generated", "published", "failed"}));
  hist->add_option("--limit", ha->args.limit, "At most N records (0: all)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  hist->add_flag("--json", ha->args.json, "Print a JSON array");
  hist->callback([=] {
    run(context, exit_code, [&](StoreContext &c, Streams &s) {
      HistoryArgs a = ha->args;
      a.plugin = opt(ha->plugin);
      a.account = opt(ha->account);
      a.kind = opt(ha->kind);
      a.status = opt(ha->status);
      return history(c, s, a);
    });
  });

  // ---- cache
  auto *cache_cmd = app.add_subcommand("cache", "Inspect or empty the content cache");
  cache_cmd->require_subcommand(1);
  auto stats_json = std::make_shared<bool>(false);
  auto *stats = cache_cmd->add_subcommand("stats", "Entries, size, hit rate");
  stats->add_flag("--json", *stats_json, "Print JSON");
  stats->callback([=] {
    run(context, exit_code,
        [&](StoreContext &c, Streams &s) { return cache_stats(c, s, *stats_json); });
  });
  auto older = std::make_shared<std::string>();
  auto *clear = cache_cmd->add_subcommand("clear", "Remove cached entries");
  clear->add_option("--older-than", *older,
                    "Only entries stored longer ago than this (90s, 15m, 12h, 7d, 2w)");
  clear->callback([=] {
    run(context, exit_code, [&](StoreContext &c, Streams &s) { return cache_clear(c, s, *older); });
  });

  // ---- import
  auto *import_cmd = app.add_subcommand("import", "Import data from another tool");
  import_cmd->require_subcommand(1);
  struct ImportArgs {
    std::string path;
    bool json = false;
  };
  auto ia = std::make_shared<ImportArgs>();
  auto *mpv2 = import_cmd->add_subcommand(
      "mpv2", "Import a MoneyPrinterV2 .mp folder (accounts, videos, posts, products)");
  mpv2->add_option("PATH", ia->path, "The .mp folder, or the folder that contains it")->required();
  mpv2->add_flag("--json", ia->json, "Print the report as JSON");
  mpv2->callback([=] {
    run(context, exit_code,
        [&](StoreContext &c, Streams &s) { return import_mpv2_command(c, s, ia->path, ia->json); });
  });
}

}  // namespace automuse::store
