// plugins/twitter/text_rules.hpp — X's text rules as the twitter publisher offers them to other
// plugins through "automuse.publish/1" (SDK 1.4): a text's weighted length with X's limit and
// its links, and a text cut to fit. C functions for am_publisher's table.
#pragma once

#include <automuse/publish.h>

namespace twitter {

// [any-thread] am_publisher.text_length: the weighted length, 280, and the links X sees.
am_status publisher_text_length(void *user, am_str text, am_text_length *out, am_buffer *error);

// [any-thread] am_publisher.fit_text: cut_to_fit within max_length (<= 0: 280).
am_status publisher_fit_text(void *user, am_str text, int32_t max_length, am_buffer *out_text,
                             am_buffer *error);

}  // namespace twitter
