// host/subtitles/caption_files.hpp — captions written out: SRT (and read back, to check it),
// ASS with the spoken word highlighted (the renderer's builder), and the "subtitles" object of the
// renderer's timeline JSON (word timings plus style).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "subtitles/caption_style.hpp"
#include "subtitles/captions.hpp"

namespace automuse::subtitles {

std::string to_srt(const std::vector<Caption> &captions);

// Parses SRT text; throws speech::SpeechError("srt line N", ...) on malformed input.
struct SrtEntry {
  int index = 0;
  double start = 0, end = 0;
  std::vector<std::string> lines;
};
std::vector<SrtEntry> parse_srt(std::string_view text);

// An ASS script for a canvas of width x height: one event per spoken word, showing the
// word's card with that word in the highlight colour (render::build_ass over these cards).
std::string to_ass(const std::vector<Caption> &captions, const std::vector<WordTiming> &words,
                   const CaptionStyle &style, int width, int height);

// The renderer's "subtitles" object: {"words":[{"text","start","end"}...], "style":{...}}.
std::string renderer_subtitles_json(const std::vector<WordTiming> &words,
                                    const CaptionStyle &style);

// [{"start","end","lines":[...],"first_word","word_count"}...]
std::string cards_to_json(const std::vector<Caption> &captions);

// "HH:MM:SS,mmm"
std::string srt_time(double seconds);

}  // namespace automuse::subtitles
