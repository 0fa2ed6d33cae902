// plugins/afm/facts.hpp — what is known about a product, from the Creators API or its page:
// the only material a pitch may use. Cached as JSON.
#pragma once

#include <string>
#include <vector>

namespace afm {

struct Facts {
  std::string asin;
  std::string title;
  std::vector<std::string> features;  // bullet points, in page order, non-empty
  std::string price;                  // as displayed ("$24.99"), empty when unknown
  std::string source;                 // "creators-api" or "product-page"
};

std::string to_json(const Facts &f);
// Throws std::invalid_argument on text that is not a Facts object.
Facts facts_from_json(const std::string &json);

}  // namespace afm
