// host/speech/word_timing.hpp — one spoken word's timing (what subtitles are made from), the
// error type of the speech module, and the word-timings JSON that crosses the ABI and that
// the renderer's "subtitles.words" accepts.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace automuse::speech {

// A word as written in the script with the time it is spoken. `begin`/`end` are UTF-8 byte
// offsets of the word in the script text that was synthesised ([begin, end)), so
// script.substr(begin, end - begin) == text.
struct WordTiming {
  std::string text;
  double start = 0.0;  // seconds from the start of the audio
  double end = 0.0;    // seconds; end >= start
  size_t begin = 0;
  size_t end_offset = 0;
};

// Thrown by the speech module for bad input or a failing engine; `field` names what was bad
// ("language", "rate", a file path) so the caller's message can say so.
class SpeechError : public std::runtime_error {
 public:
  SpeechError(std::string field, const std::string &message)
      : std::runtime_error(field.empty() ? message : field + ": " + message),
        field_(std::move(field)) {}
  const std::string &field() const noexcept { return field_; }

 private:
  std::string field_;
};

// [{"text":"Hello","start":0.0,"end":0.31,"begin":0,"end_offset":5}, ...]
std::string word_timings_to_json(const std::vector<WordTiming> &words);

// Parses the JSON above ("begin"/"end_offset" optional). Throws SpeechError naming the bad
// element ("words[3].start").
std::vector<WordTiming> word_timings_from_json(std::string_view json);

}  // namespace automuse::speech
