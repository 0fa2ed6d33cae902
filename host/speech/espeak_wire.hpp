// host/speech/espeak_wire.hpp — the messages between the host and its espeak-ng worker
// processes (espeak_pool.hpp): one request (voice settings and a sentence) and one answer
// (the sentence's PCM samples plus espeak-ng's word events, or an error naming the field), each
// framed as a 32-bit length and a payload over a stream socket. Both ends are the same build
// on the same machine, so numbers go in the host's byte order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "speech/espeak_engine.hpp"

namespace automuse::speech::wire {

struct Request {
  VoiceSettings settings;
  std::string text;
};

struct Answer {
  bool ok = false;
  std::string field, message;  // when !ok: a SpeechError's field and message
  EspeakOutput output;         // when ok
  int pid = 0;                 // the worker that spoke, and when (steady clock, which is
  int64_t started_ns = 0;      // CLOCK_MONOTONIC: comparable across processes)
  int64_t finished_ns = 0;
};

std::string encode(const Request &request);
std::string encode(const Answer &answer);
// Throw SpeechError("espeak-ng worker", ...) on a malformed payload.
Request decode_request(const std::string &payload);
Answer decode_answer(const std::string &payload);

// Blocking framed I/O on a stream socket or pipe. write_frame returns false when the peer is
// gone (no SIGPIPE: sockets are written with MSG_NOSIGNAL); read_frame returns nullopt at a
// clean end of stream and throws SpeechError on a short or oversized frame.
bool write_frame(int fd, const std::string &payload);
std::optional<std::string> read_frame(int fd);

}  // namespace automuse::speech::wire
