// plugins/afm/product_page.hpp — an Amazon product page read with libxml2's HTML parser and
// XPath: the title (#productTitle), the bullet points (#feature-bullets li
// span.a-list-item, nested lists flattened, empty items skipped) and the price where the page
// shows one; a robot check (captcha) page is recognised as such.
#pragma once

#include <string>
#include <string_view>

#include "facts.hpp"

namespace afm {

struct PageResult {
  enum class Kind { product, captcha, not_a_product } kind = Kind::not_a_product;
  Facts facts;         // kind == product: source "product-page", asin as given
  std::string reason;  // otherwise: why (for the error message)
};

PageResult parse_product_page(std::string_view html, const std::string &asin);

}  // namespace afm
