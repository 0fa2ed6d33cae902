// host/speech/word_timing.cpp — JSON for word timings, with Boost.JSON.
#include "speech/word_timing.hpp"

#include <boost/json.hpp>

namespace automuse::speech {

namespace json = boost::json;

std::string word_timings_to_json(const std::vector<WordTiming> &words) {
  json::array out;
  out.reserve(words.size());
  for (const WordTiming &w : words) {
    out.push_back(json::object{{"text", w.text},
                               {"start", w.start},
                               {"end", w.end},
                               {"begin", w.begin},
                               {"end_offset", w.end_offset}});
  }
  return json::serialize(out);
}

namespace {

double number_field(const json::object &o, const char *key, const std::string &where) {
  const json::value *v = o.if_contains(key);
  if (!v || !v->is_number()) throw SpeechError(where + "." + key, "missing or not a number");
  return v->to_number<double>();
}

}  // namespace

std::vector<WordTiming> word_timings_from_json(std::string_view text) {
  boost::system::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec) throw SpeechError("words", "not valid JSON: " + ec.message());
  const json::array *arr = root.if_array();
  if (!arr) throw SpeechError("words", "expected a JSON array");
  std::vector<WordTiming> words;
  words.reserve(arr->size());
  for (size_t i = 0; i < arr->size(); ++i) {
    std::string where = "words[" + std::to_string(i) + "]";
    const json::object *o = (*arr)[i].if_object();
    if (!o) throw SpeechError(where, "expected an object");
    WordTiming w;
    const json::value *t = o->if_contains("text");
    if (!t || !t->is_string()) throw SpeechError(where + ".text", "missing or not a string");
    w.text = std::string(t->get_string());
    w.start = number_field(*o, "start", where);
    w.end = number_field(*o, "end", where);
    if (w.start < 0 || w.end < w.start) throw SpeechError(where, "needs 0 <= start <= end");
    if (o->contains("begin")) w.begin = static_cast<size_t>(number_field(*o, "begin", where));
    if (o->contains("end_offset"))
      w.end_offset = static_cast<size_t>(number_field(*o, "end_offset", where));
    words.push_back(std::move(w));
  }
  return words;
}

}  // namespace automuse::speech
