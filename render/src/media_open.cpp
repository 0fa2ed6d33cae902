// Local media files opened with the file protocol only, known demuxers, bounded probing (see
// automuse_render/media_open.h).
#include "automuse_render/media_open.h"

#include <algorithm>
#include <fstream>
#include <string_view>
#include <vector>

#include "av_util.h"

extern "C" {
#include <libavutil/avstring.h>
#include <libavutil/dict.h>
}

namespace automuse::render {
namespace {

// Single-picture demuxers, not image2: its file-name patterns (img%03d.png, globs) read other
// files than the one named.
constexpr const char *kImageDemuxers = "png_pipe,jpeg_pipe,webp_pipe,bmp_pipe,tiff_pipe,gif";
constexpr const char *kVideoDemuxers = "mov,matroska,avi,mpegts,gif";
constexpr const char *kAudioDemuxers = "wav,mp3,ogg,flac,aac,mov,matroska";

// Enough for any real header; the defaults, written down so they cannot grow.
constexpr const char *kProbeSize = "5000000";        // bytes
constexpr const char *kAnalyzeDuration = "5000000";  // microseconds
constexpr const char *kMaxStreams = "32";

struct DictDeleter {
  void operator()(AVDictionary *d) const { av_dict_free(&d); }
};

// The demuxer FFmpeg picks for `path` by its first bytes, for the error; "" when only the
// file name (not the content) suggests one.
std::string probed_format(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<unsigned char> head(4096 + AVPROBE_PADDING_SIZE, 0);
  in.read(reinterpret_cast<char *>(head.data()), 4096);
  AVProbeData pd{};
  const std::string name = path.string();
  pd.filename = name.c_str();
  pd.buf = head.data();
  pd.buf_size = static_cast<int>(in.gcount());
  int score = 0;
  const AVInputFormat *f = av_probe_input_format3(&pd, 1, &score);
  return f && score > AVPROBE_SCORE_EXTENSION ? f->name : "";
}

bool allowed(const std::string &format, const std::string &list) {
  return !format.empty() && av_match_list(format.c_str(), list.c_str(), ',') > 0;
}

}  // namespace

std::string allowed_demuxers(unsigned kinds) {
  std::string list;
  for (auto [kind, names] :
       {std::pair{kImageFile, kImageDemuxers}, std::pair{kVideoFile, kVideoDemuxers},
        std::pair{kAudioFile, kAudioDemuxers}}) {
    if (!(kinds & kind)) continue;
    std::string_view rest = names;
    while (!rest.empty()) {  // each name once: containers serve several kinds
      const std::string_view name = rest.substr(0, rest.find(','));
      rest.remove_prefix(std::min(rest.size(), name.size() + 1));
      if (allowed(std::string(name), list)) continue;
      if (!list.empty()) list += ',';
      list += name;
    }
  }
  return list;
}

int open_media_file(AVFormatContext **fmt, const std::filesystem::path &path, unsigned kinds,
                    std::string &why) {
  const std::string demuxers = allowed_demuxers(kinds);
  AVDictionary *raw = nullptr;
  av_dict_set(&raw, "protocol_whitelist", "file", 0);
  av_dict_set(&raw, "format_whitelist", demuxers.c_str(), 0);
  av_dict_set(&raw, "probesize", kProbeSize, 0);
  av_dict_set(&raw, "analyzeduration", kAnalyzeDuration, 0);
  av_dict_set(&raw, "max_streams", kMaxStreams, 0);
  std::unique_ptr<AVDictionary, DictDeleter> options(raw);
  // "file:" keeps a path that looks like a URL ("subfile:...", "concat:...") a path.
  const std::string url = "file:" + path.string();
  AVDictionary *opts = options.release();
  const int ret = avformat_open_input(fmt, url.c_str(), nullptr, &opts);
  options.reset(opts);
  if (ret >= 0) return ret;
  const std::string format = probed_format(path);
  if (!format.empty() && !allowed(format, demuxers))
    why = "a '" + format + "' file is not an accepted media format (accepted: " + demuxers + ")";
  else if (ret == AVERROR_INVALIDDATA || ret == AVERROR(EINVAL))
    why = "does not decode as an accepted media format (" + detail::av_error(ret) + ")";
  else
    why = detail::av_error(ret);
  return ret;
}

}  // namespace automuse::render
