// plugins/youtube/scene_plan.hpp — which pictures a Short shows and when: sentences grouped
// into scenes of a few seconds of speech each (one image per scene, not one per sentence
// fragment), each with its image prompt; once the speech exists, each scene's span follows the
// spoken words of its sentences.
#pragma once

#include <string>
#include <vector>

#include "script_text.hpp"
#include "subtitle_style.hpp"

namespace youtube {

struct Scene {
  std::string prompt;
  std::string image;     // the picture's file, once fetched
  std::string provider;  // who delivered it
  size_t begin = 0;      // byte range of the script the scene covers
  size_t end = 0;
  double start = 0;  // seconds, filled in by time_scenes
  double duration = 0;
};

// The offline image prompt of a sentence: its three key words ("Octopus hearts swims"), so a
// title card does not repeat the sentence the subtitles show.
std::string offline_prompt(const std::string &sentence);

// Groups sentences so each scene carries about `seconds_per_image` of speech, estimated from
// word counts at `words_per_second` (espeak's default 175 wpm is ~2.9). The prompt is the
// scene's first sentence's offline_prompt (the fallback for LLM-written prompts).
std::vector<Scene> plan_scenes(const std::vector<Sentence> &sentences,
                               double seconds_per_image = 4.0, double words_per_second = 2.9);

// Word timing with the byte offset of the word in the script.
struct TimedWord {
  Word word;
  size_t begin = 0;
};

// Sets each scene's start and duration from the words spoken in it: a scene starts when its
// first word starts (the first at 0) and lasts until the next one starts; the last runs to
// `total`. Scenes with no spoken word are merged into their neighbour.
void time_scenes(std::vector<Scene> &scenes, const std::vector<TimedWord> &words, double total);

}  // namespace youtube
