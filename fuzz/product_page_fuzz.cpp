// fuzz/product_page_fuzz.cpp — an Amazon product page (plugins/afm/product_page, libxml2's HTML
// parser and XPath). Invariants: a product has a title and only non-empty bullet points, keeps
// the ASIN it was asked for, and its facts survive the JSON they are cached as.
#include <string_view>

#include "fuzz_check.hpp"
#include "product_page.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view html(reinterpret_cast<const char *>(data), size);
  const afm::PageResult page = afm::parse_product_page(html, "B0FUZZ0001");
  if (page.kind != afm::PageResult::Kind::product) {
    FUZZ_CHECK(!page.reason.empty(), "a page that is not a product says why");
    return 0;
  }
  const afm::Facts &f = page.facts;
  FUZZ_CHECK(!f.title.empty(), "a product has a title");
  FUZZ_CHECK(f.asin == "B0FUZZ0001", "the ASIN asked for");
  for (const auto &feature : f.features) FUZZ_CHECK(!feature.empty(), "no empty bullet points");
  const afm::Facts back = afm::facts_from_json(afm::to_json(f));
  FUZZ_CHECK(back.title == f.title && back.features == f.features && back.price == f.price &&
                 back.asin == f.asin && back.source == f.source,
             "facts survive their JSON");
  return 0;
}
