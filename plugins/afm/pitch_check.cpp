// plugins/afm/pitch_check.cpp — pitch rules and prompts.
#include "pitch_check.hpp"

#include <regex>

#include "text.hpp"

namespace afm {

namespace {

// A price's value in hundredths, for comparing "$1,299.00" with "$1299": separators before
// the last one are thousands; a last separator followed by exactly two digits is decimal.
std::string price_value(const std::string &written) {
  std::string digits;
  size_t last_sep = std::string::npos, digits_after = 0;
  for (char c : written) {
    if (c >= '0' && c <= '9') {
      digits += c;
      ++digits_after;
    } else if ((c == '.' || c == ',') && !digits.empty()) {
      last_sep = digits.size();
      digits_after = 0;
    }
  }
  if (digits.empty()) return {};
  if (last_sep != std::string::npos && digits_after == 2) {
    digits.insert(last_sep, ".");
  } else {
    digits += ".00";
  }
  while (digits.size() > 4 && digits[0] == '0' && digits[1] != '.') digits.erase(0, 1);
  return digits;
}

}  // namespace

std::string compose(const std::string &body, const std::string &disclosure,
                    const std::string &link) {
  std::string out = body;
  if (!disclosure.empty()) out += " " + disclosure;
  return out + "\n" + link;
}

int body_budget(int max_length, const std::string &disclosure, const std::string &link,
                const Measure &measure) {
  return max_length - measure(compose("", disclosure, link)).length;
}

std::vector<std::string> prices_in(const std::string &text) {
  static const std::regex kPrice(
      R"(((?:US|CA|AU)?\$|€|£|¥|₹|\b(?:USD|EUR|GBP|JPY|INR|CAD|AUD)\s?)\s?\d(?:[\d.,]*\d)?|\d[\d.,]*\s?(?:€|£|\b(?:USD|EUR|GBP|dollars?|euros?|pounds?)\b))",
      std::regex::icase);
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kPrice);
       it != std::sregex_iterator(); ++it)
    out.push_back(it->str());
  return out;
}

std::optional<std::string> problem_with(const std::string &body, const Facts &facts, int budget,
                                        const Measure &measure) {
  const Measured measured = measure(body);
  if (measured.links > 0)
    return "It contains a link; the link is added separately, so leave links out.";
  std::vector<std::string> allowed;
  std::string all_facts = facts.price + "\n" + facts.title;
  for (const auto &f : facts.features) all_facts += "\n" + f;
  for (const auto &p : prices_in(all_facts)) allowed.push_back(price_value(p));
  if (!facts.price.empty()) allowed.push_back(price_value(facts.price));
  for (const auto &p : prices_in(body)) {
    bool known = false;
    for (const auto &a : allowed) known = known || a == price_value(p);
    if (!known)
      return "It mentions the price \"" + p + "\", which is not in the product data" +
             (facts.price.empty() ? std::string(" (no price is known: mention none)")
                                  : " (the price is " + facts.price + ")") +
             ". Use only facts from the product data.";
  }
  if (measured.length > budget)
    return "It is " + std::to_string(measured.length) +
           " characters long as the platform counts them; it must be at most " +
           std::to_string(budget) + ". Shorten it.";
  return std::nullopt;
}

bool only_too_long(const std::string &body, const Facts &facts, const Measure &measure) {
  return !problem_with(body, facts, 1 << 30, measure).has_value();
}

std::string clean_answer(std::string answer) {
  auto trim = [](std::string &s) { s = std::string(plugin_support::trim(s)); };
  trim(answer);
  for (const char *prefix : {"Pitch:", "pitch:", "Post:", "Tweet:"})
    if (answer.rfind(prefix, 0) == 0) {
      answer.erase(0, std::char_traits<char>::length(prefix));
      trim(answer);
    }
  for (const char *q : {"\"", "“", "'"}) {
    std::string open = q, close = std::string(q) == "“" ? "”" : q;
    if (answer.size() >= open.size() + close.size() && answer.rfind(open, 0) == 0 &&
        answer.compare(answer.size() - close.size(), close.size(), close) == 0) {
      answer = answer.substr(open.size(), answer.size() - open.size() - close.size());
      trim(answer);
    }
  }
  return answer;
}

Prompt pitch_prompt(const Facts &facts, const std::string &notes, const std::string &language,
                    int budget, const std::string &publisher) {
  std::string data = "Title: " + facts.title + "\n";
  if (!facts.features.empty()) {
    data += "Features:\n";
    for (const auto &f : facts.features) data += "- " + f + "\n";
  }
  data += "Price: " +
          (facts.price.empty() ? std::string("unknown (do not mention a price)") : facts.price) +
          "\n";
  if (!notes.empty()) data += "Notes from the seller of this link: " + notes + "\n";
  std::string system =
      "You write short, honest social media pitches for products. Use only the facts in the "
      "product data you are given: never invent features, prices, discounts, ratings, "
      "awards or availability. Mention a price only exactly as given. Write plain text in " +
      language +
      ", one or two sentences, without links, hashtags or quotation marks: the link and the "
      "affiliate disclosure are added after your text.";
  std::string user = "Product data:\n" + data + "\nWrite the pitch in at most " +
                     std::to_string(budget) + " characters as " + publisher +
                     " counts them. Answer with the pitch only.";
  return {system, user};
}

}  // namespace afm
