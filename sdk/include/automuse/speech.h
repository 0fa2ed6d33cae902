/* automuse/speech.h — the speech service, "automuse.speech/1": text to a WAV file plus one
 * timing per word (taken from the synthesiser itself, or, for a provider that gives none,
 * by aligning the known text to its audio), and caption files made from word timings.
 * Providers: "espeak" (offline, the default), "openai", "elevenlabs" (through the host's
 * HTTP service, when configured). Results are cached by (provider, voice, settings, text). */
#ifndef AUTOMUSE_SPEECH_H
#define AUTOMUSE_SPEECH_H

#include "automuse/host.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AM_SPEECH_SERVICE_ID "automuse.speech/1"

/* What to say and how. Strings are borrowed for the duration of the call only. */
typedef struct am_speech_request {
  uint32_t struct_size;
  am_str text;        /* the script, UTF-8; emoji are skipped and links read as their
                         domain, but every word keeps its written form in the timings */
  am_str provider;    /* "espeak", "openai", "elevenlabs"; empty = the configured default
                         (automuse.json speech.provider; espeak unless set) */
  am_str language;    /* BCP-47 tag ("en", "de-DE", "pt_BR"); picks the voice when voice
                         is empty. Empty = "en". Unknown: AM_INVALID_ARGUMENT listing the
                         languages there are */
  am_str voice;       /* provider's voice ("en-us+f3", "alloy", an ElevenLabs voice id) */
  int32_t rate;       /* espeak: words per minute 80..450; 0 = 175 */
  int32_t pitch;      /* espeak: 1..100; 0 = 50 */
  double speed;       /* network providers: 0.25..4; 0 = 1 */
  am_str output_path; /* where the WAV goes (written whole, then renamed); empty = a new
                         file in the host's speech output folder */
  bool no_cache;      /* true: neither read nor write the cache */
} am_speech_request;

/* One spoken word. `text` is the word as written in the script (punctuation attached);
 * begin/end_offset are its UTF-8 byte offsets in the request's text. Fixed layout: a new
 * field would be a new service version. */
typedef struct am_word_timing {
  am_str text;
  double start; /* seconds from the start of the audio */
  double end;   /* seconds, >= start; words never overlap, starts are increasing */
  uint64_t begin;
  uint64_t end_offset;
} am_word_timing;

/* A finished synthesis. Everything is borrowed: valid only during the callback (copy what
 * you keep; the WAV file itself stays until you delete it). */
typedef struct am_speech_result {
  uint32_t struct_size;
  am_str audio_path;           /* 16-bit PCM WAV, mono */
  double duration;             /* seconds */
  int32_t sample_rate;
  const am_word_timing *words; /* word_count entries */
  size_t word_count;
  am_str words_json;           /* the same as [{"text","start","end","begin","end_offset"}] */
  am_str provider;             /* the provider that spoke it */
  bool from_cache;
  bool aligned; /* timings derived by aligning the text to the audio (the provider gave
                   none), rather than reported by the synthesiser */
} am_speech_result;

/* [job-strand] Completion of synthesize and align: exactly once, on the job's executor. On failure
 * `result` is NULL and `error` says what went wrong (naming the bad field for
 * AM_INVALID_ARGUMENT); on cancel status is AM_CANCELLED. */
typedef void (*am_speech_done_fn)(void *user, am_status status, am_str error,
                                  const am_speech_result *result);

/* Word timings for audio that has none: `text` is what the audio says. */
typedef struct am_align_request {
  uint32_t struct_size;
  am_str text;
  am_str audio_path; /* a 16-bit PCM WAV file */
  am_str language;   /* of the text; empty = "en" */
} am_align_request;

/* Caption formats for am_speech.captions. */
typedef int32_t am_caption_format;
enum {
  AM_CAPTIONS_SRT = 0,
  AM_CAPTIONS_ASS = 1,          /* the spoken word highlighted, one event per word */
  AM_CAPTIONS_RENDER_JSON = 2,  /* the render timeline's "subtitles" object: words + style */
  AM_CAPTIONS_CARDS_JSON = 3    /* [{"start","end","lines":[...],"first_word","word_count"}] */
};

typedef struct am_caption_request {
  uint32_t struct_size;
  am_str words_json;          /* word timings as in am_speech_result.words_json */
  am_caption_format format;
  int32_t max_chars_per_line; /* 0 = 22 */
  int32_t max_lines;          /* 0 = 2 */
  int32_t max_words;          /* per card; 0 = 8 */
  double min_duration;        /* seconds a card stays up at least; 0 = 0.7 */
  int32_t width, height;      /* canvas, for ASS; 0 = 1080 x 1920 */
  am_str style_json;          /* optional: the render timeline's subtitle style object
                                 ({"font","size","color":"#RRGGBB",...}); empty = defaults */
} am_caption_request;

typedef struct am_speech {
  uint32_t struct_size;

  /* [any-thread] Start synthesising. The work runs on the host's worker pool (network providers: on
   * the I/O threads, then the pool for alignment); `done` runs exactly once on the job's
   * executor, never before this returns. Returns the operation's id. Any thread. */
  am_op_id (*synthesize)(const am_host *host, am_job *job, const am_speech_request *request,
                         am_speech_done_fn done, void *user);

  /* [any-thread] Start deriving word timings for an existing WAV file and its known text (result's
   * audio_path is the given file). Same threading and completion rules as synthesize. */
  am_op_id (*align)(const am_host *host, am_job *job, const am_align_request *request,
                    am_speech_done_fn done, void *user);

  /* [any-thread] Cancel: the operation completes with AM_CANCELLED unless it already completed.
   * Work already running on a worker finishes in the background and is discarded. No-op for
   * finished or unknown ids. Any thread. */
  void (*cancel)(const am_host *host, am_job *job, am_op_id op);

  /* [any-thread] Make captions from word timings, synchronously (fast: no I/O). On AM_OK `*out`
   * holds the text; otherwise `*error` holds a message naming the bad field. Release whichever
   * buffer was filled with am_buffer_release. Any thread. */
  am_status (*captions)(const am_host *host, const am_caption_request *request,
                        am_buffer *out, am_buffer *error);

  /* [any-thread] The voices a provider offers, as JSON
   * [{"id":"gmw/en-US","name":"English (America)","languages":["en-us"]}...] in `*out`.
   * AM_UNSUPPORTED for an unknown provider. Any thread. */
  am_status (*voices)(const am_host *host, am_str provider, am_buffer *out);
} am_speech;

#ifdef __cplusplus
}
#endif

#endif /* AUTOMUSE_SPEECH_H */
