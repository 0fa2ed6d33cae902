// tests/speech/language_test.cpp — languages as accounts write them ("German", "Deutsch", "de",
// "de-DE", "pt-BR", "Chinese", "english", "Español") resolve through ICU to one BCP-47 tag and
// to a voice real espeak-ng has, which then really speaks; unknown ones fail naming the value.
#include "speech/language.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "speech/espeak_engine.hpp"
#include "speech/synthesizer.hpp"

using namespace automuse::speech;

namespace {

// As written -> tag -> espeak-ng voice.
const std::vector<std::pair<std::string, std::pair<std::string, std::string>>> kForms = {
    {"German", {"de", "gmw/de"}},      {"Deutsch", {"de", "gmw/de"}},
    {"de", {"de", "gmw/de"}},          {"de-DE", {"de-DE", "gmw/de"}},
    {"de_DE", {"de-DE", "gmw/de"}},    {"  GERMAN ", {"de", "gmw/de"}},
    {"pt-BR", {"pt-BR", "roa/pt-BR"}}, {"Portuguese (Brazil)", {"pt-BR", "roa/pt-BR"}},
    {"Chinese", {"zh", "sit/cmn"}},    {"Español", {"es", "roa/es"}},
    {"español", {"es", "roa/es"}},     {"French", {"fr", "roa/fr"}},
    {"français", {"fr", "roa/fr"}},
};

bool espeak_has_voice(const std::string &identifier) {
  const auto &voices = EspeakEngine::instance().voices();
  return std::any_of(voices.begin(), voices.end(),
                     [&](const EspeakVoice &v) { return v.identifier == identifier; });
}

}  // namespace

TEST(Language, NamesAndCodesResolveToOneTag) {
  for (const auto &[written, expected] : kForms)
    EXPECT_EQ(language_tag(written), expected.first) << written;
  EXPECT_EQ(language_tag("english"), "en");
  EXPECT_EQ(language_tag("English"), "en");
  EXPECT_EQ(language_tag("en-us"), "en-US");
  EXPECT_EQ(language_tag("iw"), "he");  // a deprecated code, canonicalised
}

TEST(Language, EveryFormGetsAVoiceEspeakHasAndItSpeaks) {
  for (const auto &[written, expected] : kForms) {
    const std::string voice = EspeakEngine::instance().voice_for_language(language_tag(written));
    EXPECT_EQ(voice, expected.second) << written;
    EXPECT_TRUE(espeak_has_voice(voice)) << written << " -> " << voice;
  }
  const std::string english = EspeakEngine::instance().voice_for_language(language_tag("english"));
  EXPECT_TRUE(espeak_has_voice(english)) << english;
  EXPECT_EQ(english.rfind("gmw/en", 0), 0u) << english;
  // Each distinct voice really speaks.
  for (const std::string &voice : {std::string("gmw/de"), std::string("roa/pt-BR"),
                                   std::string("sit/cmn"), std::string("roa/es"), english}) {
    VoiceSettings settings;
    settings.voice = voice;
    EXPECT_GT(EspeakEngine::instance().synthesize("Hallo", settings).audio.duration(), 0.1)
        << voice;
  }
}

TEST(Language, GermanByNameSpeaksGerman) {
  const std::string script = "Guten Morgen, schöne Grüße aus München.";
  SynthesisOptions by_name, by_code;
  by_name.language = "German";
  by_code.language = "de";
  EXPECT_EQ(resolve_voice(by_name).voice, resolve_voice(by_code).voice);
  by_name.parallel = 1;
  Speech named = synthesize_script(script, by_name);
  EXPECT_GT(named.audio.duration(), 1.0);
  ASSERT_EQ(named.words.size(), 6u);
  EXPECT_EQ(named.words.back().text, "München.");
}

TEST(Language, UnknownLanguageIsNamedWithAHint) {
  for (const std::string written : {"Klingonish", "xx-klingon", "Deutch"}) {
    try {
      language_tag(written);
      ADD_FAILURE() << written << " resolved";
    } catch (const SpeechError &e) {
      EXPECT_EQ(e.field(), "language");
      const std::string msg = e.what();
      EXPECT_NE(msg.find("'" + written + "'"), std::string::npos) << msg;
      EXPECT_NE(msg.find("Deutsch"), std::string::npos) << msg;  // the hint shows the forms
      EXPECT_NE(msg.find("pt-BR"), std::string::npos) << msg;
    }
  }
  EXPECT_THROW(language_tag("  "), SpeechError);
}
