// host/speech/espeak_wire.cpp — encoding of the worker messages and framed socket I/O.
#include "speech/espeak_wire.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "speech/word_timing.hpp"

namespace automuse::speech::wire {
namespace {

constexpr uint32_t kMaxFrame = 256u << 20;  // a sentence's WAV is a few MB at most

class Writer {
 public:
  template <typename T>
  void number(T v) {
    out_.append(reinterpret_cast<const char *>(&v), sizeof v);
  }
  void text(const std::string &s) {
    number(static_cast<uint32_t>(s.size()));
    out_ += s;
  }
  // Raw samples (one memcpy each way: a sentence is up to a few MB).
  void samples(const std::vector<int16_t> &v) {
    number(static_cast<uint64_t>(v.size()));
    out_.append(reinterpret_cast<const char *>(v.data()), v.size() * sizeof(int16_t));
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(const std::string &in) : in_(in) {}
  template <typename T>
  T number() {
    need(sizeof(T));
    T v;
    std::memcpy(&v, in_.data() + at_, sizeof v);
    at_ += sizeof v;
    return v;
  }
  std::string text() {
    uint32_t n = number<uint32_t>();
    need(n);
    std::string s = in_.substr(at_, n);
    at_ += n;
    return s;
  }
  std::vector<int16_t> samples() {
    uint64_t n = number<uint64_t>();
    if (n > kMaxFrame / sizeof(int16_t)) throw SpeechError("espeak-ng worker", "too many samples");
    need(n * sizeof(int16_t));
    std::vector<int16_t> v(n);
    std::memcpy(v.data(), in_.data() + at_, n * sizeof(int16_t));
    at_ += n * sizeof(int16_t);
    return v;
  }
  void finish() const {
    if (at_ != in_.size()) throw SpeechError("espeak-ng worker", "trailing bytes in a message");
  }

 private:
  void need(size_t n) const {
    if (in_.size() - at_ < n) throw SpeechError("espeak-ng worker", "truncated message");
  }
  const std::string &in_;
  size_t at_ = 0;
};

}  // namespace

std::string encode(const Request &r) {
  Writer w;
  w.text(r.settings.voice);
  w.number<int32_t>(r.settings.rate);
  w.number<int32_t>(r.settings.pitch);
  w.text(r.text);
  return w.take();
}

Request decode_request(const std::string &payload) {
  Reader r(payload);
  Request out;
  out.settings.voice = r.text();
  out.settings.rate = r.number<int32_t>();
  out.settings.pitch = r.number<int32_t>();
  out.text = r.text();
  r.finish();
  return out;
}

std::string encode(const Answer &a) {
  Writer w;
  w.number<uint8_t>(a.ok ? 1 : 0);
  w.number<int32_t>(a.pid);
  w.number<int64_t>(a.started_ns);
  w.number<int64_t>(a.finished_ns);
  if (!a.ok) {
    w.text(a.field);
    w.text(a.message);
    return w.take();
  }
  w.number<int32_t>(a.output.audio.sample_rate);
  w.samples(a.output.audio.samples);
  w.number<uint32_t>(static_cast<uint32_t>(a.output.words.size()));
  for (const EspeakWordEvent &e : a.output.words) {
    w.number<int32_t>(e.text_position);
    w.number<int32_t>(e.length);
    w.number<int64_t>(e.sample);
  }
  return w.take();
}

Answer decode_answer(const std::string &payload) {
  Reader r(payload);
  Answer out;
  out.ok = r.number<uint8_t>() != 0;
  out.pid = r.number<int32_t>();
  out.started_ns = r.number<int64_t>();
  out.finished_ns = r.number<int64_t>();
  if (!out.ok) {
    out.field = r.text();
    out.message = r.text();
  } else {
    out.output.audio.sample_rate = r.number<int32_t>();
    out.output.audio.samples = r.samples();
    uint32_t n = r.number<uint32_t>();
    if (n > kMaxFrame / 16) throw SpeechError("espeak-ng worker", "too many word events");
    out.output.words.resize(n);
    for (EspeakWordEvent &e : out.output.words) {
      e.text_position = r.number<int32_t>();
      e.length = r.number<int32_t>();
      e.sample = r.number<int64_t>();
    }
  }
  r.finish();
  return out;
}

bool write_frame(int fd, const std::string &payload) {
  uint32_t n = static_cast<uint32_t>(payload.size());
  std::string frame(reinterpret_cast<const char *>(&n), sizeof n);
  frame += payload;
  size_t at = 0;
  while (at < frame.size()) {
    ssize_t sent = ::send(fd, frame.data() + at, frame.size() - at, MSG_NOSIGNAL);
    if (sent < 0 && errno == ENOTSOCK)  // a pipe (the worker's stdout in a debugger session)
      sent = ::write(fd, frame.data() + at, frame.size() - at);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    at += static_cast<size_t>(sent);
  }
  return true;
}

namespace {

// Reads exactly n bytes; false at end of stream before the first byte, throws after it.
bool read_exact(int fd, char *into, size_t n) {
  size_t at = 0;
  while (at < n) {
    ssize_t got = ::read(fd, into + at, n - at);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0)
      throw SpeechError("espeak-ng worker", std::string("read failed: ") + std::strerror(errno));
    if (got == 0) {
      if (at == 0) return false;
      throw SpeechError("espeak-ng worker", "connection closed inside a message");
    }
    at += static_cast<size_t>(got);
  }
  return true;
}

}  // namespace

std::optional<std::string> read_frame(int fd) {
  uint32_t n = 0;
  if (!read_exact(fd, reinterpret_cast<char *>(&n), sizeof n)) return std::nullopt;
  if (n > kMaxFrame) throw SpeechError("espeak-ng worker", "message too large");
  std::string payload(n, '\0');
  if (n > 0 && !read_exact(fd, payload.data(), n))
    throw SpeechError("espeak-ng worker", "connection closed inside a message");
  return payload;
}

}  // namespace automuse::speech::wire
