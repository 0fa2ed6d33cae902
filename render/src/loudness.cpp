// Loudness measurement through an abuffer -> ebur128 -> abuffersink graph (see loudness.h).
#include "loudness.h"

extern "C" {
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/channel_layout.h>
#include <libavutil/dict.h>
}

#include <cstdlib>
#include <cstring>

namespace automuse::render::detail {

double integrated_lufs(const float *samples, size_t frames) {
  GraphPtr graph(avfilter_graph_alloc());
  AVFilterContext *src = nullptr, *meter = nullptr, *sink = nullptr;
  char args[128];
  std::snprintf(args, sizeof args,
                "sample_rate=%d:sample_fmt=flt:channel_layout=stereo:time_base=1/%d", kAudioRate,
                kAudioRate);
  check(avfilter_graph_create_filter(&src, avfilter_get_by_name("abuffer"), "in", args, nullptr,
                                     graph.get()),
        "ebur128 source");
  check(avfilter_graph_create_filter(&meter, avfilter_get_by_name("ebur128"), "meter", "metadata=1",
                                     nullptr, graph.get()),
        "ebur128");
  check(avfilter_graph_create_filter(&sink, avfilter_get_by_name("abuffersink"), "out", nullptr,
                                     nullptr, graph.get()),
        "ebur128 sink");
  check(avfilter_link(src, 0, meter, 0), "link");
  check(avfilter_link(meter, 0, sink, 0), "link");
  check(avfilter_graph_config(graph.get(), nullptr), "configure ebur128 graph");

  double lufs = -70.0;
  FramePtr out = make_frame();
  auto drain = [&] {
    while (av_buffersink_get_frame(sink, out.get()) >= 0) {
      if (AVDictionaryEntry *e = av_dict_get(out->metadata, "lavfi.r128.I", nullptr, 0))
        lufs = std::strtod(e->value, nullptr);
      av_frame_unref(out.get());
    }
  };
  constexpr size_t kChunk = kAudioRate / 10;
  for (size_t pos = 0; pos < frames; pos += kChunk) {
    const size_t n = std::min(kChunk, frames - pos);
    FramePtr f = make_frame();
    f->format = AV_SAMPLE_FMT_FLT;
    f->sample_rate = kAudioRate;
    av_channel_layout_default(&f->ch_layout, kAudioChannels);
    f->nb_samples = static_cast<int>(n);
    f->pts = static_cast<int64_t>(pos);
    check(av_frame_get_buffer(f.get(), 0), "audio frame");
    std::memcpy(f->data[0], samples + pos * kAudioChannels, n * kAudioChannels * sizeof(float));
    check(av_buffersrc_add_frame(src, f.get()), "feed ebur128");
    drain();
  }
  check(av_buffersrc_add_frame(src, nullptr), "flush ebur128");
  drain();
  return lufs;
}

}  // namespace automuse::render::detail
