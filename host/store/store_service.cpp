// The automuse.store/1 table (see store_service.hpp and sdk/include/automuse/store.h).
// Each function: find the Store and the calling plugin from the am_host, do one store call,
// turn exceptions into a status and a message. No exception crosses the ABI.
#include "store/store_service.hpp"

// The host's side of am_oauth_refresh: the lock, and the plugin that took it.
struct am_oauth_refresh {
  std::unique_ptr<automuse::store::OAuthRefresh> lock;
};

namespace automuse::store {

namespace json = boost::json;

namespace {

// A JSON or field problem in the caller's input.
class BadInput : public StoreError {
 public:
  using StoreError::StoreError;
};

using core::set_buffer;
using core::view;
std::string text(am_str s) {
  return std::string(view(s));
}

struct Caller {
  Store &store;
  std::string plugin;
};

Caller caller(const am_host *host) {
  if (!host || !host->host_data) throw BadInput("no host given");
  Store *store = core::ServiceBinding<am_store, Store>::of(host, AM_STORE_SERVICE_ID);
  if (!store) throw StoreError("the store service is not registered in this host");
  return {*store, core::context_of(host).plugin_id};
}

json::object parse_object(am_str s, const char *what) {
  json::error_code ec;
  json::value v = json::parse(view(s), ec);
  if (ec) throw BadInput(std::string(what) + " is not valid JSON (" + ec.message() + ")");
  if (!v.is_object()) throw BadInput(std::string(what) + " must be a JSON object");
  return std::move(v.as_object());
}

json::object account_json(Store &store, const Account &a) {
  json::object o = to_json(a);
  json::array secrets;
  for (const std::string &n : store.secret_names(a.id)) secrets.push_back(json::string(n));
  o["secrets"] = secrets;
  return o;
}

HistoryRecord own_history(Caller &c, const std::string &id) {
  std::optional<HistoryRecord> h = c.store.get_history(id);
  if (!h || h->plugin_id != c.plugin) {
    throw NotFound("no history record " + id + " for plugin " + c.plugin);
  }
  return *h;
}

void check_status(const std::string &status) {
  for (std::string_view s : kStatuses) {
    if (s == status) return;
  }
  throw BadInput("status must be generated, published or failed; got '" + status + "'");
}

// Runs `fn`, mapping exceptions to statuses and the message into *error.
template <class Fn>
am_status guarded(am_buffer *error, Fn &&fn) {
  try {
    fn();
    return AM_OK;
  } catch (const NotFound &e) {
    set_buffer(error, e.what());
    return AM_NOT_FOUND;
  } catch (const BadInput &e) {
    set_buffer(error, e.what());
    return AM_INVALID_ARGUMENT;
  } catch (const Conflict &e) {
    set_buffer(error, e.what());
    return AM_ERROR;
  } catch (const StoreError &e) {
    set_buffer(error, e.what());
    return AM_IO;
  } catch (const std::bad_alloc &) {
    return AM_NO_MEMORY;
  } catch (const std::exception &e) {
    set_buffer(error, e.what());
    return AM_INTERNAL;
  } catch (...) {
    return AM_INTERNAL;
  }
}

// Record parsing errors are the caller's input errors.
template <class Fn>
auto as_input(Fn &&fn) {
  try {
    return fn();
  } catch (const NotFound &) {
    throw;
  } catch (const Conflict &) {
    throw;
  } catch (const StoreError &e) {
    throw BadInput(e.what());
  }
}

am_status list_accounts(const am_host *host, am_buffer *out, am_buffer *error) {
  return guarded(error, [&] {
    Caller c = caller(host);
    json::array arr;
    for (const Account &a : c.store.list_accounts(c.plugin))
      arr.push_back(account_json(c.store, a));
    set_buffer(out, json::serialize(arr));
  });
}

am_status get_account(const am_host *host, am_str account, am_buffer *out, am_buffer *error) {
  return guarded(error, [&] {
    Caller c = caller(host);
    Account a = c.store.resolve_account(text(account), c.plugin);
    set_buffer(out, json::serialize(account_json(c.store, a)));
  });
}

am_status get_secret(const am_host *host, am_str account, am_str name, am_buffer *out,
                     am_buffer *error) {
  return guarded(error, [&] {
    Caller c = caller(host);
    Account a = c.store.resolve_account(text(account), c.plugin);
    std::optional<std::string> v = c.store.get_secret(a.id, text(name));
    if (!v) throw NotFound("account '" + a.nickname + "' has no secret '" + text(name) + "'");
    set_buffer(out, std::move(*v));
  });
}

am_status set_secret(const am_host *host, am_str account, am_str name, am_str value,
                     am_buffer *error) {
  return guarded(error, [&] {
    Caller c = caller(host);
    if (view(name).empty()) throw BadInput("a secret needs a name");
    Account a = c.store.resolve_account(text(account), c.plugin);
    c.store.set_secret(a.id, text(name), text(value));
  });
}

am_status get_oauth_token(const am_host *host, am_str account, am_buffer *out, am_buffer *error) {
  return guarded(error, [&] {
    Caller c = caller(host);
    Account a = c.store.resolve_account(text(account), c.plugin);
    std::optional<OAuthToken> t = c.store.get_oauth_token(a.id);
    if (!t) throw NotFound("account '" + a.nickname + "' has not been authorised yet");
    json::object o = to_json(*t);
    o.erase("account_id");
    o.erase("updated_at");
    set_buffer(out, json::serialize(o));
  });
}

am_status set_oauth_token(const am_host *host, am_str account, am_str token_json,
                          am_buffer *error) {
  return guarded(error, [&] {
    Caller c = caller(host);
    Account a = c.store.resolve_account(text(account), c.plugin);
    json::object o = parse_object(token_json, "the token");
    OAuthToken t = as_input([&] { return oauth_from_json(o, "OAuth token"); });
    t.account_id = a.id;
    c.store.set_oauth_token(std::move(t));
  });
}

am_status begin_oauth_refresh(const am_host *host, am_str account, am_oauth_refresh **out_refresh,
                              am_buffer *out, am_buffer *error) {
  if (!out_refresh) {
    set_buffer(error, "begin_oauth_refresh needs somewhere to put the refresh");
    return AM_INVALID_ARGUMENT;
  }
  return guarded(error, [&] {
    Caller c = caller(host);
    Account a = c.store.resolve_account(text(account), c.plugin);
    auto refresh = std::make_unique<am_oauth_refresh>();
    refresh->lock = c.store.begin_oauth_refresh(a.id);
    json::value token;  // null: never authorised through OAuth yet
    if (const std::optional<OAuthToken> &t = refresh->lock->current()) {
      json::object o = to_json(*t);
      o.erase("account_id");
      o.erase("updated_at");
      token = std::move(o);
    }
    set_buffer(out, json::serialize(token));
    *out_refresh = refresh.release();
  });
}

am_status end_oauth_refresh(const am_host *host, am_oauth_refresh *refresh, am_str token_json,
                            am_buffer *error) {
  std::unique_ptr<am_oauth_refresh> owned(refresh);  // released whatever happens
  return guarded(error, [&] {
    if (!owned) throw BadInput("end_oauth_refresh was given no refresh");
    caller(host);
    std::optional<OAuthToken> next;
    if (!view(token_json).empty()) {
      json::object o = parse_object(token_json, "the token");
      next = as_input([&] { return oauth_from_json(o, "OAuth token"); });
    }
    owned->lock->finish(std::move(next));
  });
}

am_status add_history(const am_host *host, am_str record_json, am_buffer *out, am_buffer *error) {
  return guarded(error, [&] {
    Caller c = caller(host);
    json::object o = parse_object(record_json, "the history record");
    HistoryRecord h = as_input([&] { return history_from_json(o, "history record"); });
    if (!h.plugin_id.empty() && h.plugin_id != c.plugin) {
      throw BadInput("history record: field 'plugin' must be the calling plugin (" + c.plugin +
                     ")");
    }
    h.plugin_id = c.plugin;
    h.id.clear();
    h.origin_key.reset();
    if (h.account_id) h.account_id = c.store.resolve_account(*h.account_id, c.plugin).id;
    HistoryRecord stored = c.store.add_history(std::move(h));
    set_buffer(out, json::serialize(to_json(stored)));
  });
}

am_status update_history(const am_host *host, am_str id, am_str patch_json, am_buffer *out,
                         am_buffer *error) {
  return guarded(error, [&] {
    Caller c = caller(host);
    own_history(c, text(id));
    json::object o = parse_object(patch_json, "the history patch");
    HistoryUpdate u;
    for (const auto &kv : o) {
      std::string key(kv.key());
      if (!kv.value().is_string()) {
        throw BadInput("history patch: field '" + key + "' must be a string");
      }
      std::string v = json::value_to<std::string>(kv.value());
      if (key == "status") {
        check_status(v);
        u.status = v;
      } else if (key == "local_file") {
        u.local_file = v;
      } else if (key == "remote_id") {
        u.remote_id = v;
      } else if (key == "remote_url") {
        u.remote_url = v;
      } else if (key == "error") {
        u.error = v;
      } else if (key == "title") {
        u.title = v;
      } else if (key == "body") {
        u.body = v;
      } else {
        throw BadInput("history patch: field '" + key +
                       "' cannot be changed (status, "
                       "local_file, remote_id, remote_url, error, title, body can)");
      }
    }
    HistoryRecord h = c.store.update_history(text(id), u);
    set_buffer(out, json::serialize(to_json(h)));
  });
}

am_status list_history(const am_host *host, am_str query_json, am_buffer *out, am_buffer *error) {
  return guarded(error, [&] {
    Caller c = caller(host);
    HistoryQuery q;
    q.plugin_id = c.plugin;
    if (!view(query_json).empty()) {
      json::object o = parse_object(query_json, "the history query");
      for (const auto &kv : o) {
        std::string key(kv.key());
        const json::value &v = kv.value();
        if (key == "limit") {
          if (!v.is_int64() || v.get_int64() < 0) {
            throw BadInput("history query: field 'limit' must be a whole number >= 0");
          }
          q.limit = static_cast<int>(v.get_int64());
          continue;
        }
        if (!v.is_string()) throw BadInput("history query: field '" + key + "' must be a string");
        std::string s = json::value_to<std::string>(v);
        if (key == "account") {
          q.account_id = c.store.resolve_account(s, c.plugin).id;
        } else if (key == "kind") {
          q.kind = s;
        } else if (key == "status") {
          check_status(s);
          q.status = s;
        } else {
          throw BadInput("history query: unknown field '" + key +
                         "' (account, kind, status, limit)");
        }
      }
    }
    json::array arr;
    for (const HistoryRecord &h : c.store.list_history(q)) arr.push_back(to_json(h));
    set_buffer(out, json::serialize(arr));
  });
}

am_status list_products(const am_host *host, am_buffer *out, am_buffer *error) {
  return guarded(error, [&] {
    Caller c = caller(host);
    json::array arr;
    for (const Product &p : c.store.list_products()) arr.push_back(to_json(p));
    set_buffer(out, json::serialize(arr));
  });
}

am_status get_product(const am_host *host, am_str id, am_buffer *out, am_buffer *error) {
  return guarded(error, [&] {
    Caller c = caller(host);
    std::optional<Product> p = c.store.get_product(text(id));
    if (!p) throw NotFound("no product with id " + text(id));
    set_buffer(out, json::serialize(to_json(*p)));
  });
}

am_status add_product(const am_host *host, am_str product_json, am_buffer *out, am_buffer *error) {
  return guarded(error, [&] {
    Caller c = caller(host);
    json::object o = parse_object(product_json, "the product");
    Product p = as_input([&] { return product_from_json(o, "product"); });
    Product stored = c.store.add_product(std::move(p));
    set_buffer(out, json::serialize(to_json(stored)));
  });
}

am_status remove_product(const am_host *host, am_str id, am_buffer *error) {
  return guarded(error, [&] {
    Caller c = caller(host);
    if (!c.store.remove_product(text(id))) throw NotFound("no product with id " + text(id));
  });
}

}  // namespace

StoreService::StoreService(Store &store)
    : ServiceBinding(store,
                     am_store{sizeof(am_store), list_accounts, get_account, get_secret, set_secret,
                              get_oauth_token, set_oauth_token, add_history, update_history,
                              list_history, list_products, get_product, add_product, remove_product,
                              begin_oauth_refresh, end_oauth_refresh}) {}

}  // namespace automuse::store
