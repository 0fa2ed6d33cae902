// host/speech/language.hpp — languages as people write them ("German", "Deutsch", "english",
// "Español", "de", "de_DE", "pt-BR") turned into one canonical BCP-47 tag, through ICU's
// locale data: a code is canonicalised, a name is looked up among ICU's display names of
// every language and locale, in English and in the language itself, ignoring case. The one
// place the host interprets a language; the espeak-ng voice then follows from the tag
// (EspeakEngine::voice_for_language).
#pragma once

#include <string>
#include <string_view>

namespace automuse::speech {

// "German" -> "de", "Deutsch" -> "de", "de_DE" -> "de-DE", "Portuguese (Brazil)" -> "pt-BR",
// "iw" -> "he". Throws SpeechError("language", ...) naming the value, with a hint, when ICU
// knows no such language.
std::string language_tag(std::string_view written);

}  // namespace automuse::speech
