// plugins/afm/products.hpp — affiliate products in the host's store ("automuse.store/1"):
// the link or ASIN, marketplace, partner tag, where the pitch is shared and notes.
#pragma once

#include <automuse/cpp/host.hpp>
#include <string>
#include <vector>

namespace afm {

struct Product {
  std::string id;
  std::string link;  // as the user gave it (may be a short link), or empty
  std::string asin;
  std::string marketplace;                  // empty: the account's
  std::string partner_tag;                  // from the link or --tag; empty: the account's
  std::string share_plugin, share_account;  // empty: the account's share_with
  std::string notes;
};

std::vector<Product> list_products(const am::host &host);
// Throws am::error(AM_NOT_FOUND) naming the id.
Product get_product(const am::host &host, const std::string &id);
Product add_product(const am::host &host, const Product &product);
void remove_product(const am::host &host, const std::string &id);

// A product as the actions print it (with `shared_link` when it can be built).
std::string product_json(const Product &p, const std::string &shared_link);

}  // namespace afm
