// Opening the H.264 encoder and feeding it (see video_encoder.h). The hardware paths (device,
// NV12 upload, option mapping) follow FFmpeg's documented use but are untested on the machines
// this was written on, which have no GPU: their tests cover the probing and the fallback.
#include "video_encoder.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <optional>

extern "C" {
#include <libavutil/hwcontext.h>
#include <libavutil/opt.h>
}

#include "log_bridge.h"

namespace automuse::render::detail {
namespace {

// What each encoder needs from the machine.
struct Candidate {
  VideoEncoder kind;
  AVHWDeviceType device;    // NONE: works on the CPU's frames
  const char *device_path;  // the device to open, when it is a file
  AVPixelFormat hw_format;  // NONE: takes yuv420p frames from memory
};

constexpr Candidate kCandidates[] = {
    // NVENC reads yuv420p from memory itself; the CUDA device is what tells if a GPU is there.
    {VideoEncoder::kNvenc, AV_HWDEVICE_TYPE_CUDA, nullptr, AV_PIX_FMT_NONE},
    {VideoEncoder::kVaapi, AV_HWDEVICE_TYPE_VAAPI, "/dev/dri/renderD128", AV_PIX_FMT_VAAPI},
    {VideoEncoder::kQsv, AV_HWDEVICE_TYPE_QSV, nullptr, AV_PIX_FMT_QSV},
    {VideoEncoder::kLibx264, AV_HWDEVICE_TYPE_NONE, nullptr, AV_PIX_FMT_NONE},
};

const Candidate &candidate(VideoEncoder kind) {
  return *std::find_if(std::begin(kCandidates), std::end(kCandidates),
                       [kind](const Candidate &c) { return c.kind == kind; });
}

// `auto`'s order: the hardware first, the CPU last.
constexpr VideoEncoder kAutoOrder[] = {VideoEncoder::kNvenc, VideoEncoder::kVaapi,
                                       VideoEncoder::kQsv, VideoEncoder::kLibx264};

bool build_has_device(AVHWDeviceType type) {
  for (auto t = av_hwdevice_iterate_types(AV_HWDEVICE_TYPE_NONE); t != AV_HWDEVICE_TYPE_NONE;
       t = av_hwdevice_iterate_types(t))
    if (t == type) return true;
  return false;
}

std::string upper(const char *s) {
  std::string u(s);
  for (char &ch : u) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return u;
}

// FFmpeg's own words for a failure if it logged any, else the error code's text.
std::string why(const LogCapture &log, int ret) {
  std::string said = log.last_error();
  return said.empty() ? av_error(ret) : said;
}

// x264's preset names on NVENC's p1 (fastest) .. p7 (slowest) and QSV's seven presets.
std::string nvenc_preset(const std::string &x264) {
  static const std::pair<const char *, const char *> kMap[] = {
      {"ultrafast", "p1"}, {"superfast", "p1"}, {"veryfast", "p2"},
      {"faster", "p3"},    {"fast", "p3"},      {"medium", "p4"},
      {"slow", "p5"},      {"slower", "p6"},    {"veryslow", "p7"}};
  for (const auto &[from, to] : kMap)
    if (x264 == from) return to;
  return "p4";
}
std::string qsv_preset(const std::string &x264) {
  return x264 == "ultrafast" || x264 == "superfast" ? "veryfast" : x264;
}

// The timeline's preset and crf in the encoder's own terms (documented in docs/timeline.md).
AVDictionary *quality_options(VideoEncoder kind, const EncoderRequest &r, AVCodecContext *ctx) {
  AVDictionary *o = nullptr;
  const std::string q = std::to_string(std::max(1, r.crf));  // hardware: 0 means "unset"
  switch (kind) {
    case VideoEncoder::kNvenc:
      av_dict_set(&o, "preset", nvenc_preset(r.preset).c_str(), 0);
      av_dict_set(&o, "rc", "vbr", 0);
      av_dict_set(&o, "cq", q.c_str(), 0);
      ctx->bit_rate = 0;  // quality-bound, no bitrate target
      break;
    case VideoEncoder::kVaapi:
      av_dict_set(&o, "rc_mode", "CQP", 0);
      av_dict_set(&o, "qp", q.c_str(), 0);
      break;
    case VideoEncoder::kQsv:
      av_dict_set(&o, "preset", qsv_preset(r.preset).c_str(), 0);
      ctx->global_quality = std::stoi(q);  // without a bitrate: QSV's constant-quality mode
      break;
    default:
      av_dict_set(&o, "preset", r.preset.c_str(), 0);
      av_dict_set(&o, "crf", std::to_string(r.crf).c_str(), 0);
      // Reproducible bytes: libx264's SIMD macroblock-tree code (AVX-512 at least) reads bytes
      // of its buffers that nothing wrote, so its output followed the heap's leftovers; its
      // canonical C versions do not, and give the same bytes on every x86 SIMD level.
      av_dict_set(&o, "x264-params", "cpu-independent=1", 0);
      ctx->thread_count = r.threads;
      break;
  }
  return o;
}

void describe_video(AVCodecContext *v, const EncoderRequest &r) {
  v->width = r.width;
  v->height = r.height;
  v->time_base = AVRational{1, r.fps};
  v->framerate = AVRational{r.fps, 1};
  v->sample_aspect_ratio = AVRational{1, 1};
  v->colorspace = AVCOL_SPC_BT709;
  v->color_primaries = AVCOL_PRI_BT709;
  v->color_trc = AVCOL_TRC_BT709;
  v->color_range = AVCOL_RANGE_MPEG;
  if (r.global_header) v->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
}

// Opens the candidate's device; returns why not, or "".
std::string open_device(const Candidate &c, const LogCapture &log, BufferPtr &device) {
  const std::string type = upper(av_hwdevice_get_type_name(c.device));
  if (!build_has_device(c.device)) return "this FFmpeg build has no " + type + " support";
  std::error_code ec;
  if (c.device_path && !std::filesystem::exists(c.device_path, ec))
    return std::string(c.device_path) + " not found";
  AVBufferRef *d = nullptr;
  const int ret = av_hwdevice_ctx_create(&d, c.device, c.device_path, nullptr, 0);
  if (ret < 0)
    return (c.device_path ? "cannot open " + std::string(c.device_path)
                          : "no " + type + " device") +
           " (" + why(log, ret) + ")";
  device.reset(d);
  return {};
}

// A pool of NV12 frames on the device for the encoder to read; returns why not, or "".
std::string make_frame_pool(const Candidate &c, const EncoderRequest &r, const LogCapture &log,
                            AVBufferRef *device, BufferPtr &frames) {
  frames.reset(av_hwframe_ctx_alloc(device));
  if (!frames) return "out of memory";
  auto *fc = reinterpret_cast<AVHWFramesContext *>(frames->data);
  fc->format = c.hw_format;
  fc->sw_format = AV_PIX_FMT_NV12;
  fc->width = r.width;
  fc->height = r.height;
  // QSV needs a fixed pool; enough for the encoder's lookahead and the frame being uploaded.
  fc->initial_pool_size = c.kind == VideoEncoder::kQsv ? 32 : 0;
  const int ret = av_hwframe_ctx_init(frames.get());
  if (ret < 0) return "cannot make NV12 frames on the device (" + why(log, ret) + ")";
  return {};
}

// yuv420p -> NV12: the luma as is, the two chroma planes interleaved.
void to_nv12(const AVFrame *in, AVFrame *out) {
  for (int y = 0; y < in->height; ++y)
    std::memcpy(out->data[0] + y * out->linesize[0], in->data[0] + y * in->linesize[0],
                static_cast<size_t>(in->width));
  for (int y = 0; y < (in->height + 1) / 2; ++y) {
    const uint8_t *u = in->data[1] + y * in->linesize[1];
    const uint8_t *v = in->data[2] + y * in->linesize[2];
    uint8_t *uv = out->data[1] + y * out->linesize[1];
    for (int x = 0; x < (in->width + 1) / 2; ++x) {
      uv[2 * x] = u[x];
      uv[2 * x + 1] = v[x];
    }
  }
}

}  // namespace

H264Encoder::H264Encoder(const EncoderRequest &request, std::vector<EncoderCandidate> &tried) {
  const bool automatic = request.choice == VideoEncoder::kAuto;
  const std::vector<VideoEncoder> order =
      automatic ? std::vector<VideoEncoder>(std::begin(kAutoOrder), std::end(kAutoOrder))
                : std::vector<VideoEncoder>{request.choice};
  std::string reasons;  // "h264_nvenc: no CUDA device (...); h264_vaapi: ..."
  for (VideoEncoder kind : order) {
    const std::string name(encoder_name(kind));
    const std::string reason = try_open(kind, request);
    tried.push_back(EncoderCandidate{name, reason.empty(), reason});
    if (reason.empty()) {
      name_ = name;
      break;
    }
    reasons += (reasons.empty() ? "" : "; ") + name + ": " + reason;
  }
  if (name_.empty() && automatic)
    throw CodecError("encoder auto: no encoder could be opened (" + reasons + ")");
  if (name_.empty())  // asked for by name: an error, never a quiet fallback
    throw CodecError("encoder " + reasons +
                     (request.choice == VideoEncoder::kLibx264
                          ? ""
                          : "; output.encoder \"auto\" falls back to libx264 on the CPU"));
  if (!automatic) return;
  const std::string line = "encoder auto: using " + name_;
  if (name_ == "libx264")  // the CPU when a GPU may have been expected: say why, once
    log_message(LogLevel::kWarning, line + " (" + reasons + ")");
  else
    log_message(LogLevel::kInfo, reasons.empty() ? line : line + " (" + reasons + ")");
}

std::string H264Encoder::try_open(VideoEncoder kind, const EncoderRequest &r) {
  ctx_.reset();  // nothing of an earlier candidate carries over
  frames_.reset();
  device_.reset();
  const Candidate &c = candidate(kind);
  const std::string name(encoder_name(kind));
  const std::string size = std::to_string(r.width) + "x" + std::to_string(r.height);
  if (std::find(r.fail_at_open.begin(), r.fail_at_open.end(), name) != r.fail_at_open.end())
    return "failed to open at " + size + " (refused by the test hook)";
  const AVCodec *codec = avcodec_find_encoder_by_name(name.c_str());
  if (!codec) return "not in this FFmpeg build";
  // A probe's failure becomes its reason, not FFmpeg's lines in the log; libx264's own
  // messages (its statistics) go to the log as before.
  std::optional<LogCapture> log;
  if (c.device != AV_HWDEVICE_TYPE_NONE) log.emplace();
  if (log) {
    if (std::string reason = open_device(c, *log, device_); !reason.empty()) return reason;
  }
  ctx_.reset(avcodec_alloc_context3(codec));
  AVCodecContext *v = ctx_.get();
  describe_video(v, r);
  v->pix_fmt = AV_PIX_FMT_YUV420P;
  if (c.hw_format != AV_PIX_FMT_NONE) {
    if (std::string reason = make_frame_pool(c, r, *log, device_.get(), frames_); !reason.empty())
      return reason;
    v->pix_fmt = c.hw_format;
    v->hw_frames_ctx = av_buffer_ref(frames_.get());
  } else if (device_) {
    v->hw_device_ctx = av_buffer_ref(device_.get());
  }
  AVDictionary *opts = quality_options(kind, r, v);
  const int ret = avcodec_open2(v, codec, &opts);
  av_dict_free(&opts);
  if (ret < 0) {
    const std::string detail = log ? why(*log, ret) : av_error(ret);
    return "failed to open at " + size + " (" + detail + ")";
  }
  return {};
}

int H264Encoder::send(AVFrame *frame) {
  if (!frames_ || !frame) return avcodec_send_frame(ctx_.get(), frame);
  return send_uploaded(frame);
}

int H264Encoder::send_uploaded(AVFrame *frame) {
  if (!nv12_) {
    nv12_ = make_frame();
    nv12_->format = AV_PIX_FMT_NV12;
    nv12_->width = frame->width;
    nv12_->height = frame->height;
    if (int ret = av_frame_get_buffer(nv12_.get(), 0); ret < 0) return ret;
  }
  to_nv12(frame, nv12_.get());
  FramePtr hw = make_frame();
  if (int ret = av_hwframe_get_buffer(frames_.get(), hw.get(), 0); ret < 0) return ret;
  if (int ret = av_hwframe_transfer_data(hw.get(), nv12_.get(), 0); ret < 0) return ret;
  if (int ret = av_frame_copy_props(hw.get(), frame); ret < 0) return ret;
  return avcodec_send_frame(ctx_.get(), hw.get());
}

}  // namespace automuse::render::detail
