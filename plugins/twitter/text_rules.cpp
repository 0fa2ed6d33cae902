// plugins/twitter/text_rules.cpp — the publisher's text rules over weighted_length and
// cut_to_fit, with errors and results handed over in buffers this side releases.
#include "text_rules.hpp"

#include <automuse/cpp/buffer.hpp>
#include <automuse/cpp/str.hpp>
#include <exception>
#include <stdexcept>
#include <string>

#include "fit_text.hpp"
#include "weighted_length.hpp"

namespace twitter {
namespace {

// Runs `body`; an exception becomes its status and, when asked for, a message.
template <class Body>
am_status guarded(am_buffer *error, Body &&body) {
  std::string message;
  am_status status = AM_OK;
  try {
    body();
    return AM_OK;
  } catch (const std::invalid_argument &e) {
    status = AM_INVALID_ARGUMENT;
    message = e.what();
  } catch (const std::bad_alloc &) {
    status = AM_NO_MEMORY;
    message = "out of memory";
  } catch (const std::exception &e) {
    status = AM_INTERNAL;
    message = e.what();
  }
  if (error) *error = am::make_buffer(std::move(message));
  return status;
}

}  // namespace

am_status publisher_text_length(void *, am_str text, am_text_length *out, am_buffer *error) {
  if (!out || !AM_HAS_FIELD(out, am_text_length, length)) return AM_INVALID_ARGUMENT;
  return guarded(error, [&] {
    const std::string normal = nfc(am::view(text));
    out->length = weighted_length(normal);
    if (AM_HAS_FIELD(out, am_text_length, max_length)) out->max_length = kMaxWeightedLength;
    if (AM_HAS_FIELD(out, am_text_length, links))
      out->links = static_cast<int32_t>(find_urls(normal).size());
  });
}

am_status publisher_fit_text(void *, am_str text, int32_t max_length, am_buffer *out_text,
                             am_buffer *error) {
  if (!out_text) return AM_INVALID_ARGUMENT;
  return guarded(error, [&] {
    *out_text = am::make_buffer(
        cut_to_fit(am::view(text), max_length > 0 ? max_length : kMaxWeightedLength));
  });
}

}  // namespace twitter
