// plugins/afm/product_page.cpp — the product page through libxml2 (HTMLparser + XPath).
#include "product_page.hpp"

#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>

#include <boost/locale/utf.hpp>
#include <memory>
#include <string_view>
#include <vector>

namespace afm {
namespace {

struct DocFree {
  void operator()(xmlDoc *d) const { xmlFreeDoc(d); }
};
struct XPathContextFree {
  void operator()(xmlXPathContext *c) const { xmlXPathFreeContext(c); }
};
struct XPathObjectFree {
  void operator()(xmlXPathObject *o) const { xmlXPathFreeObject(o); }
};
using Doc = std::unique_ptr<xmlDoc, DocFree>;
using XPathContext = std::unique_ptr<xmlXPathContext, XPathContextFree>;
using XPathObject = std::unique_ptr<xmlXPathObject, XPathObjectFree>;

// A class test that matches whole class names, as CSS's `.name` does.
std::string has_class(const std::string &name) {
  return "contains(concat(' ', normalize-space(@class), ' '), ' " + name + " ')";
}

std::vector<xmlNode *> select(xmlXPathContext *ctx, const std::string &xpath,
                              xmlNode *from = nullptr) {
  ctx->node = from;
  XPathObject r(xmlXPathEvalExpression(reinterpret_cast<const xmlChar *>(xpath.c_str()), ctx));
  std::vector<xmlNode *> out;
  if (r && r->nodesetval)
    for (int i = 0; i < r->nodesetval->nodeNr; ++i) out.push_back(r->nodesetval->nodeTab[i]);
  return out;
}

bool is_element(const xmlNode *n, const char *name) {
  return n->type == XML_ELEMENT_NODE && xmlStrcasecmp(n->name, BAD_CAST name) == 0;
}

// Text under `node`, skipping nested lists (their items are read on their own), scripts
// and styles.
void collect_text(const xmlNode *node, std::string &out) {
  for (const xmlNode *c = node->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      if (c->content) out += reinterpret_cast<const char *>(c->content);
      out += ' ';
    } else if (c->type == XML_ELEMENT_NODE) {
      if (is_element(c, "ul") || is_element(c, "ol") || is_element(c, "li") ||
          is_element(c, "script") || is_element(c, "style"))
        continue;
      collect_text(c, out);
    }
  }
}

// Whitespace (including no-break spaces) collapsed to single spaces, trimmed. libxml2 passes
// bytes that are not UTF-8 through as they are: each becomes U+FFFD, so that the facts stay
// valid JSON (their cache entry, the LLM request).
std::string squeeze(const std::string &s) {
  std::string out;
  bool space = false;
  namespace utf = boost::locale::utf;
  for (size_t i = 0; i < s.size();) {
    const char *at = s.data() + i, *next = at;
    const utf::code_point cp = utf::utf_traits<char>::decode(next, s.data() + s.size());
    const bool bad = cp == utf::illegal || cp == utf::incomplete;
    const bool ws = cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' ||
                    cp == '\v' || cp == 0xA0;
    const std::string_view piece = bad ? "\xEF\xBF\xBD" : std::string_view(at, next - at);
    i += bad ? 1 : piece.size();
    if (ws) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += piece;
  }
  return out;
}

std::string text_of(const xmlNode *n) {
  std::string raw;
  collect_text(n, raw);
  return squeeze(raw);
}

}  // namespace

PageResult parse_product_page(std::string_view html, const std::string &asin) {
  PageResult result;
  Doc doc(htmlReadMemory(html.data(), static_cast<int>(html.size()), "product.html", "UTF-8",
                         HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                             HTML_PARSE_NONET | HTML_PARSE_NOBLANKS));
  if (!doc) {
    result.reason = "the page is not HTML";
    return result;
  }
  XPathContext ctx(xmlXPathNewContext(doc.get()));

  // Amazon's robot check: a captcha form posting to /errors/validateCaptcha, or the
  // "captchacharacters" field, under a "Robot Check" title.
  if (!select(ctx.get(),
              "//form[contains(@action, 'validateCaptcha')] | "
              "//input[@id='captchacharacters' or @name='field-keywords' and "
              "ancestor::form[contains(@action, 'Captcha')]]")
           .empty()) {
    result.kind = PageResult::Kind::captcha;
    result.reason = "a captcha form";
    return result;
  }
  auto titles = select(ctx.get(), "//title");
  if (!titles.empty() && text_of(titles[0]) == "Robot Check") {
    result.kind = PageResult::Kind::captcha;
    result.reason = "a Robot Check page";
    return result;
  }

  auto title_nodes = select(ctx.get(), "//*[@id='productTitle']");
  std::string title = title_nodes.empty() ? std::string() : text_of(title_nodes[0]);
  if (title.empty()) {
    result.reason = "no #productTitle on the page";
    return result;
  }
  result.kind = PageResult::Kind::product;
  Facts &f = result.facts;
  f.asin = asin;
  f.title = title;
  f.source = "product-page";

  // Each bullet is a span.a-list-item inside an li of #feature-bullets; a bullet with a
  // nested list contributes its own text, and the nested items come as bullets of their own.
  for (xmlNode *span : select(
           ctx.get(), "//*[@id='feature-bullets']//li//span[" + has_class("a-list-item") + "]")) {
    std::string text = text_of(span);
    if (text.empty()) continue;
    bool seen = false;
    for (const auto &b : f.features) seen = seen || b == text;
    if (!seen) f.features.push_back(std::move(text));
  }

  // The price: the buy box's screen-reader copy first, then older layouts.
  static const char *const kPriceXPaths[] = {
      "//*[@id='corePrice_feature_div' or @id='corePriceDisplay_desktop_feature_div' or "
      "@id='apex_desktop']//span[contains(@class, 'a-price')]/span[contains(@class, "
      "'a-offscreen')]",
      "//*[@id='priceblock_ourprice' or @id='priceblock_dealprice' or @id='price_inside_buybox']",
  };
  for (const char *xpath : kPriceXPaths) {
    for (xmlNode *n : select(ctx.get(), xpath)) {
      f.price = text_of(n);
      if (!f.price.empty()) break;
    }
    if (!f.price.empty()) break;
  }
  return result;
}

}  // namespace afm
