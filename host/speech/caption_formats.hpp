// host/speech/caption_formats.hpp — what am_speech.captions hands out, all made by the
// renderer's caption rules (automuse_render/captions.h, ass_subtitles.h), so an SRT or ASS file
// shows the cards and line breaks the burned-in video shows: SRT, ASS, the render timeline's
// "subtitles" object, and the cards as JSON.
#pragma once

#include <automuse/speech.h>
#include <automuse_render/timeline.h>

#include <string>
#include <string_view>
#include <vector>

#include "speech/word_timing.hpp"

namespace automuse::speech {

// The style the captions are made with: the request's style JSON (the timeline's
// "subtitles.style"; throws SpeechError naming the field, "style.color") with the request's
// limits over it, and the SDK's defaults for the rest (8 words, 0.7 s).
render::SubtitleStyle caption_style(const am_caption_request &request);

// The request's canvas: its width and height, or 1080 x 1920.
render::Canvas caption_canvas(const am_caption_request &request);

// The captions in `format`; throws SpeechError("format", ...) for an unknown one.
std::string caption_output(am_caption_format format, const std::vector<WordTiming> &words,
                           const render::SubtitleStyle &style, const render::Canvas &canvas);

// The renderer's "subtitles" object: {"words":[{"text","start","end"}...], "style":{...}}.
std::string renderer_subtitles_json(const std::vector<WordTiming> &words,
                                    const render::SubtitleStyle &style);

}  // namespace automuse::speech
