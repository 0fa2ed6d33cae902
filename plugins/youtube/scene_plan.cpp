// plugins/youtube/scene_plan.cpp — grouping sentences into scenes and timing them.
#include "scene_plan.hpp"

#include <algorithm>

#include "metadata_text.hpp"

namespace youtube {

std::string offline_prompt(const std::string &sentence) {
  // A title card shows its prompt large: its key words, not the sentence the subtitles
  // already show.
  auto words = key_words(sentence, 3);
  std::string out;
  for (const auto &w : words) out += (out.empty() ? "" : " ") + w;
  if (out.empty()) return strip_emoji(sentence);
  if (out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

std::vector<Scene> plan_scenes(const std::vector<Sentence> &sentences, double seconds_per_image,
                               double words_per_second) {
  std::vector<Scene> scenes;
  double acc = 0;
  for (const Sentence &s : sentences) {
    const double est = static_cast<double>(s.words) / words_per_second;
    if (scenes.empty() || acc >= seconds_per_image * 0.75) {
      Scene scene;
      scene.prompt = offline_prompt(s.text);
      scene.begin = s.begin;
      scene.end = s.end;
      scenes.push_back(std::move(scene));
      acc = est;
    } else {
      scenes.back().end = s.end;
      acc += est;
    }
  }
  // A short tail (under half a scene) joins the scene before it.
  if (scenes.size() > 1 && acc < seconds_per_image * 0.4) {
    scenes[scenes.size() - 2].end = scenes.back().end;
    scenes.pop_back();
  }
  return scenes;
}

void time_scenes(std::vector<Scene> &scenes, const std::vector<TimedWord> &words, double total) {
  // First spoken word of each scene.
  std::vector<Scene> kept;
  for (Scene &s : scenes) {
    auto it = std::find_if(words.begin(), words.end(), [&](const TimedWord &w) {
      return w.begin >= s.begin && w.begin < s.end;
    });
    if (it == words.end()) {
      if (!kept.empty()) kept.back().end = s.end;
      continue;
    }
    s.start = kept.empty() ? 0.0 : it->word.start;
    kept.push_back(s);
  }
  if (kept.empty() && !scenes.empty()) {
    kept.push_back(scenes.front());
    kept.back().start = 0;
  }
  for (size_t i = 0; i < kept.size(); ++i) {
    double next = i + 1 < kept.size() ? kept[i + 1].start : total;
    kept[i].duration = std::max(0.1, next - kept[i].start);
  }
  scenes = std::move(kept);
}

}  // namespace youtube
