// plugins/afm/creators_api.cpp — Creators API requests and answers (Boost.JSON, Boost.URL for
// the form encoding).
#include "creators_api.hpp"

#include <automuse/cpp/error.hpp>
#include <boost/json.hpp>
#include <boost/url.hpp>

#include "json_members.hpp"

namespace afm {
namespace json = boost::json;
using plugin_support::string_member;

namespace {

json::object parse_object(const std::string &body) {
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return {};
  return std::move(v.as_object());
}

// "type: message (reason)" of an error object, in either of the documented shapes.
std::string describe(const json::object &e) {
  std::string type = string_member(e, "type");
  if (type.empty()) type = string_member(e, "code");
  std::string out = type.empty() ? std::string("error") : type;
  if (auto m = string_member(e, "message"); !m.empty()) out += ": " + m;
  if (auto r = string_member(e, "reason"); !r.empty()) out += " (" + r + ")";
  return out;
}

bool mentions_partner_tag(const json::object &e) {
  std::string all = string_member(e, "reason") + " " + string_member(e, "message") + " " +
                    string_member(e, "code");
  for (char &c : all) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return all.find("partnertag") != std::string::npos ||
         all.find("partner tag") != std::string::npos;
}

}  // namespace

TokenRequest token_request(const Credentials &c) {
  if (c.version == "2.x") {
    boost::urls::url form;
    auto params = form.params();
    params.append({"grant_type", "client_credentials"});
    params.append({"client_id", c.client_id});
    params.append({"client_secret", c.client_secret});
    params.append({"scope", "creatorsapi/default"});
    // The query string is exactly application/x-www-form-urlencoded (spaces as %20 are
    // accepted by every form decoder).
    return {std::string(form.encoded_query()), "application/x-www-form-urlencoded"};
  }
  json::object o{{"grant_type", "client_credentials"},
                 {"client_id", c.client_id},
                 {"client_secret", c.client_secret},
                 {"scope", "creatorsapi::default"}};
  return {json::serialize(o), "application/json"};
}

Token parse_token(int http_status, const std::string &body) {
  json::object o = parse_object(body);
  if (http_status == 400 || http_status == 401 || http_status == 403) {
    std::string error = string_member(o, "error");
    std::string detail = string_member(o, "error_description");
    throw am::error(AM_UNAUTHENTICATED,
                    "Creators API refused the credentials (" +
                        (error.empty() ? "HTTP " + std::to_string(http_status) : error) +
                        (detail.empty() ? "" : ": " + detail) +
                        "): check the afm account's creators_credential_id, "
                        "creators_credential_secret and creators_version");
  }
  if (http_status != 200)
    throw am::error(AM_ERROR,
                    "Creators API token endpoint answered HTTP " + std::to_string(http_status));
  Token t;
  t.access_token = string_member(o, "access_token");
  if (t.access_token.empty())
    throw am::error(AM_ERROR, "Creators API token answer has no access_token");
  if (auto *e = o.if_contains("expires_in"); e && e->is_number())
    t.expires_in = static_cast<int64_t>(e->to_number<double>());
  return t;
}

std::string authorization(const std::string &token, const std::string &version) {
  return "Bearer " + token + (version == "2.x" ? ", Version 2.x" : "");
}

std::string get_items_body(const std::string &asin, const std::string &marketplace,
                           const std::string &partner_tag) {
  json::object o{
      {"itemIds", json::array{json::value(asin)}},
      {"itemIdType", "ASIN"},
      {"marketplace", marketplace},
      {"partnerTag", partner_tag},
      {"resources", json::array{"itemInfo.title", "itemInfo.features", "offersV2.listings.price"}}};
  return json::serialize(o);
}

ItemsOutcome interpret_get_items(int http_status, const std::string &body, const std::string &asin,
                                 const std::string &partner_tag, const std::string &marketplace) {
  ItemsOutcome out;
  json::object o = parse_object(body);
  auto fail = [&](am_status s, std::string m) {
    out.kind = ItemsOutcome::Kind::failed;
    out.status = s;
    out.message = "Creators API getItems for " + asin + ": " + std::move(m);
    return out;
  };
  switch (http_status) {
    case 200:
      break;
    case 400:
      if (mentions_partner_tag(o))
        return fail(AM_INVALID_ARGUMENT,
                    "the partner tag '" + partner_tag + "' is not valid for " + marketplace + " (" +
                        describe(o) +
                        "): set the afm account's partner_tag to a tracking id of this "
                        "marketplace from Associates Central");
      return fail(AM_INVALID_ARGUMENT, describe(o));
    case 401:
      if (string_member(o, "reason") == "TokenExpired" ||
          string_member(o, "message").find("xpired") != std::string::npos) {
        out.kind = ItemsOutcome::Kind::token_expired;
        return out;
      }
      return fail(AM_UNAUTHENTICATED,
                  describe(o) + ": check the afm account's Creators API credentials");
    case 403:
      if (string_member(o, "reason") == "AssociateNotEligible")
        return fail(AM_PERMISSION_DENIED,
                    "this Associates account is not eligible for the Creators API (" + describe(o) +
                        "): Amazon grants access after qualifying sales; until then remove "
                        "the account's creators_credential_id so afm reads the product page");
      if (mentions_partner_tag(o))
        return fail(AM_PERMISSION_DENIED,
                    "the partner tag '" + partner_tag + "' is not linked to these credentials (" +
                        describe(o) + "): use a tracking id of the same Associates account");
      return fail(AM_PERMISSION_DENIED, describe(o));
    case 404:
      return fail(AM_NOT_FOUND, "not found in " + marketplace + " (" + describe(o) + ")");
    case 429: {
      out.kind = ItemsOutcome::Kind::throttled;
      if (auto *r = o.if_contains("retryAfterSeconds"); r && r->is_number())
        out.retry_after_secs = static_cast<int>(r->to_number<double>());
      return out;
    }
    default:
      return fail(AM_ERROR, "HTTP " + std::to_string(http_status) +
                                (o.empty() ? std::string() : " (" + describe(o) + ")"));
  }

  // 200: the item, and possibly errors[] for items that failed (a partial failure).
  std::string errors;
  if (auto *e = o.if_contains("errors"); e && e->is_array())
    for (const auto &x : e->as_array())
      if (x.is_object()) errors += (errors.empty() ? "" : "; ") + describe(x.as_object());
  const json::object *item = nullptr;
  if (auto *r = o.if_contains("itemsResult"); r && r->is_object())
    if (auto *items = r->as_object().if_contains("items"); items && items->is_array())
      for (const auto &x : items->as_array())
        if (x.is_object() && string_member(x.as_object(), "asin") == asin) item = &x.as_object();
  if (!item)
    return fail(AM_NOT_FOUND,
                errors.empty() ? "the answer has no item " + asin : "partial failure: " + errors);
  Facts &f = out.facts;
  f.asin = asin;
  f.source = "creators-api";
  if (auto *info = item->if_contains("itemInfo"); info && info->is_object()) {
    const auto &i = info->as_object();
    if (auto *t = i.if_contains("title"); t && t->is_object())
      f.title = string_member(t->as_object(), "displayValue");
    if (auto *fe = i.if_contains("features"); fe && fe->is_object())
      if (auto *dv = fe->as_object().if_contains("displayValues"); dv && dv->is_array())
        for (const auto &x : dv->as_array())
          if (x.is_string() && !x.as_string().empty()) f.features.emplace_back(x.as_string());
  }
  if (auto *offers = item->if_contains("offersV2"); offers && offers->is_object())
    if (auto *l = offers->as_object().if_contains("listings"); l && l->is_array())
      for (const auto &x : l->as_array())
        if (auto *p = x.is_object() ? x.as_object().if_contains("price") : nullptr;
            p && p->is_object())
          if (auto *m = p->as_object().if_contains("money"); m && m->is_object()) {
            f.price = string_member(m->as_object(), "displayAmount");
            if (!f.price.empty()) break;
          }
  if (f.title.empty()) return fail(AM_ERROR, "the item has no itemInfo.title");
  out.kind = ItemsOutcome::Kind::facts;
  out.partial_error = errors;
  return out;
}

}  // namespace afm
