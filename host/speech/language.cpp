// host/speech/language.cpp — language names and codes to BCP-47 through ICU (see language.hpp).
#include "speech/language.hpp"

#include <unicode/locid.h>
#include <unicode/uloc.h>
#include <unicode/unistr.h>

#include <map>
#include <mutex>

#include "core/text.hpp"
#include "speech/word_timing.hpp"

namespace automuse::speech {
namespace {

// Case-folded UTF-8, so "english", "ENGLISH" and "English" (and "ESPAÑOL") compare equal.
std::string folded(const icu::UnicodeString &s) {
  std::string out;
  icu::UnicodeString(s).foldCase().toUTF8String(out);
  return out;
}

std::string tag_of(const icu::Locale &locale) {
  UErrorCode status = U_ZERO_ERROR;
  std::string tag = locale.toLanguageTag<std::string>(status);
  return U_SUCCESS(status) ? tag : std::string();
}

// Every display name ICU has for a language or locale -> its tag. Plain languages go in before
// locales with a region or script, and the first entry of a name wins: "Chinese" is "zh",
// never "zh-Hans".
class NameIndex {
 public:
  NameIndex() {
    for (const char *const *code = uloc_getISOLanguages(); *code; ++code) add(icu::Locale(*code));
    int32_t count = 0;
    const icu::Locale *locales = icu::Locale::getAvailableLocales(count);
    for (int32_t i = 0; i < count; ++i)
      if (*locales[i].getCountry() == '\0' && *locales[i].getScript() == '\0') add(locales[i]);
    for (int32_t i = 0; i < count; ++i) add(locales[i]);
  }

  const std::string *find(const std::string &folded_name) const {
    auto it = by_name_.find(folded_name);
    return it == by_name_.end() ? nullptr : &it->second;
  }

 private:
  void add(const icu::Locale &locale) {
    const std::string tag = tag_of(locale);
    if (tag.empty() || tag == "und") return;
    icu::UnicodeString name;
    remember(locale.getDisplayName(icu::Locale::getEnglish(), name), tag);
    remember(locale.getDisplayName(locale, name), tag);  // in its own language: "Deutsch"
  }

  void remember(const icu::UnicodeString &name, const std::string &tag) {
    // ICU echoes the code back for a language it has no name for.
    std::string key = folded(name);
    if (!key.empty() && key != folded(icu::UnicodeString::fromUTF8(tag)))
      by_name_.emplace(std::move(key), tag);
  }

  std::map<std::string, std::string> by_name_;
};

const NameIndex &names() {
  static const NameIndex index;  // built once, thread-safe; about a thousand locales
  return index;
}

// A BCP-47 tag (or one with '_' as ICU's ids have) whose language ICU knows, canonicalised:
// "de_de" -> "de-DE", "iw" -> "he". Empty when `written` is no such code ("German" parses as
// a well-formed but unknown 6-letter language subtag).
std::string as_code(const std::string &written) {
  std::string dashed = written;
  for (char &c : dashed)
    if (c == '_') c = '-';
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale = icu::Locale::forLanguageTag(dashed, status);
  if (U_FAILURE(status) || locale.isBogus() || *locale.getLanguage() == '\0') return {};
  locale.canonicalize(status);
  if (U_FAILURE(status)) return {};
  icu::UnicodeString name;
  locale.getDisplayLanguage(icu::Locale::getEnglish(), name);
  if (folded(name) == folded(icu::UnicodeString::fromUTF8(locale.getLanguage()))) return {};
  return tag_of(locale);
}

}  // namespace

std::string language_tag(std::string_view written) {
  const std::string text = std::string(core::trim(written));
  if (text.empty()) throw SpeechError("language", "is empty");
  if (std::string tag = as_code(text); !tag.empty()) return tag;
  if (const std::string *tag = names().find(folded(icu::UnicodeString::fromUTF8(text))))
    return *tag;
  throw SpeechError("language",
                    "'" + text +
                        "' is neither a language name nor a language code ICU knows; write a "
                        "name in English or in the language itself (German, Deutsch, "
                        "Portuguese (Brazil)) or a BCP-47 code (de, de-DE, pt-BR)");
}

}  // namespace automuse::speech
