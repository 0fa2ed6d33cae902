// plugins/afm/products.cpp — products through the store service's JSON records.
#include "products.hpp"

#include <automuse/store.h>

#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/error.hpp>
#include <automuse/cpp/str.hpp>
#include <boost/json.hpp>

#include "json_members.hpp"

namespace afm {
namespace json = boost::json;
using plugin_support::string_member;

namespace {

Product from_record(const json::object &o) {
  Product p;
  p.id = string_member(o, "id");
  p.link = string_member(o, "link");
  p.asin = string_member(o, "asin");
  p.marketplace = string_member(o, "marketplace");
  p.share_plugin = string_member(o, "share_plugin");
  p.share_account = string_member(o, "share_account_id");
  p.notes = string_member(o, "notes");
  if (auto *e = o.if_contains("extra"); e && e->is_object())
    p.partner_tag = string_member(e->as_object(), "partner_tag");
  return p;
}

json::value null_if_empty(const std::string &s) {
  return s.empty() ? json::value(nullptr) : json::value(s);
}

const am_store &store_of(const am::host &host) {
  return host.service<am_store>(AM_STORE_SERVICE_ID);
}

}  // namespace

std::vector<Product> list_products(const am::host &host) {
  am::buffer out, error;
  am_status s = store_of(host).list_products(host.get(), out.out(), error.out());
  if (s != AM_OK) throw am::error(s, "products: " + error.str());
  std::vector<Product> products;
  json::value v = json::parse(out.view());
  for (const auto &x : v.as_array())
    if (x.is_object()) products.push_back(from_record(x.as_object()));
  return products;
}

Product get_product(const am::host &host, const std::string &id) {
  am::buffer out, error;
  am_status s = store_of(host).get_product(host.get(), am::to_am_str(id), out.out(), error.out());
  if (s != AM_OK)
    throw am::error(
        s, "product '" + id + "': " + error.str() + " (see `automuse-host --plugin afm list`)");
  return from_record(json::parse(out.view()).as_object());
}

Product add_product(const am::host &host, const Product &p) {
  json::object record{{"link", null_if_empty(p.link)},
                      {"asin", p.asin},
                      {"marketplace", null_if_empty(p.marketplace)},
                      {"share_plugin", null_if_empty(p.share_plugin)},
                      {"share_account_id", null_if_empty(p.share_account)},
                      {"notes", null_if_empty(p.notes)},
                      {"extra", json::object{}}};
  if (!p.partner_tag.empty()) record["extra"].as_object()["partner_tag"] = p.partner_tag;
  am::buffer out, error;
  const std::string text = json::serialize(record);
  am_status s = store_of(host).add_product(host.get(), am::to_am_str(text), out.out(), error.out());
  if (s != AM_OK) throw am::error(s, "adding product " + p.asin + ": " + error.str());
  return from_record(json::parse(out.view()).as_object());
}

void remove_product(const am::host &host, const std::string &id) {
  const am_store &store = store_of(host);
  if (!AM_HAS_FIELD(&store, am_store, remove_product))
    throw am::error(AM_UNSUPPORTED, "this host's store cannot remove products (too old)");
  am::buffer error;
  am_status s = store.remove_product(host.get(), am::to_am_str(id), error.out());
  if (s != AM_OK) throw am::error(s, "product '" + id + "': " + error.str());
}

std::string product_json(const Product &p, const std::string &shared_link) {
  json::object o{
      {"id", p.id},
      {"asin", p.asin},
      {"link", null_if_empty(p.link)},
      {"marketplace", null_if_empty(p.marketplace)},
      {"partner_tag", null_if_empty(p.partner_tag)},
      {"share_with", p.share_plugin.empty() ? json::value(nullptr)
                                            : json::value(p.share_plugin + ":" + p.share_account)},
      {"notes", null_if_empty(p.notes)},
      {"shared_link", null_if_empty(shared_link)}};
  return json::serialize(o);
}

}  // namespace afm
