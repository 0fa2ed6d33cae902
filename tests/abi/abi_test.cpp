// tests/abi/abi_test.cpp — runtime half of the ABI tests: the C and C++ compilers agree on
// every struct, the version compatibility rule, AM_HAS_FIELD, and C-initialised entries.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>
#include <string>
#include <vector>

#include "abi_c_side.h"
#include "abi_check.h"
#include "automuse_all_headers.h"  // generated

namespace {

struct Layout {
  std::string name;
  size_t size, align, fields;
};

const std::vector<Layout> kCxxLayouts = {
#define AM_ABI_STRUCT(t, size, align, ...) {#t, sizeof(t), alignof(t), AM_ABI_NARGS(__VA_ARGS__)},
#include "abi_layouts.def"
#undef AM_ABI_STRUCT
};

TEST(AbiLayout, CAndCxxCompilersAgreeOnEveryStruct) {
  const am_abi_layout *c = nullptr;
  size_t n = am_abi_c_layouts(&c);
  ASSERT_EQ(n, kCxxLayouts.size());
  ASSERT_GE(n, 9u);  // at least the 1.0 structs
  for (size_t i = 0; i < n; ++i) {
    SCOPED_TRACE(kCxxLayouts[i].name);
    EXPECT_EQ(c[i].name, kCxxLayouts[i].name);
    EXPECT_EQ(c[i].size, kCxxLayouts[i].size);
    EXPECT_EQ(c[i].align, kCxxLayouts[i].align);
    EXPECT_EQ(c[i].fields, kCxxLayouts[i].fields);
  }
}

TEST(AbiVersion, CurrentVersionIsOnePointSomething) {
  am_version v AM_ABI_VERSION_INIT;
  EXPECT_EQ(v.major, static_cast<uint32_t>(AM_ABI_MAJOR));
  EXPECT_EQ(v.minor, static_cast<uint32_t>(AM_ABI_MINOR));
  EXPECT_EQ(v.major, 1u);
}

TEST(AbiVersion, CompatibleOnlyWithSameMajorAndOlderOrEqualMinor) {
  struct Case {
    am_version host, plugin;
    bool ok;
  };
  const Case cases[] = {
      {{1, 3}, {1, 3}, true},   // same
      {{1, 3}, {1, 0}, true},   // plugin older minor: host still offers everything it knows
      {{1, 3}, {1, 4}, false},  // plugin newer minor: may need services this host lacks
      {{1, 3}, {2, 0}, false},  // major differs, either way
      {{2, 0}, {1, 3}, false}, {{1, 0}, {0, 9}, false},
      {{0, 0}, {0, 0}, true},  {{1, 0xffffffffu}, {1, 0xfffffffeu}, true},
  };
  for (const auto &c : cases) {
    SCOPED_TRACE(std::to_string(c.host.major) + "." + std::to_string(c.host.minor) + " loads " +
                 std::to_string(c.plugin.major) + "." + std::to_string(c.plugin.minor));
    EXPECT_EQ(am_version_compatible(c.host, c.plugin) != 0, c.ok);
    EXPECT_EQ(am_abi_c_version_compatible(c.host.major, c.host.minor, c.plugin.major,
                                          c.plugin.minor) != 0,
              c.ok);
  }
}

// The bits of am_abi_c_host_fields_covered, computed here with the C++ compiler.
unsigned cxx_host_fields_covered(uint32_t struct_size) {
  am_host h{};
  h.struct_size = struct_size;
  const am_host *p = &h;
  unsigned bits = 0;
  if (AM_HAS_FIELD(p, am_host, struct_size)) bits |= 1u << 0;
  if (AM_HAS_FIELD(p, am_host, abi)) bits |= 1u << 1;
  if (AM_HAS_FIELD(p, am_host, host_name)) bits |= 1u << 2;
  if (AM_HAS_FIELD(p, am_host, host_version)) bits |= 1u << 3;
  if (AM_HAS_FIELD(p, am_host, host_data)) bits |= 1u << 4;
  if (AM_HAS_FIELD(p, am_host, get_service)) bits |= 1u << 5;
  if (AM_HAS_FIELD(p, am_host, set_init_failure)) bits |= 1u << 6;
  return bits;
}

TEST(AbiHasField, AFieldIsUsableOnlyWhenStructSizeCoversAllOfIt) {
  // A full 1.1 host covers every field.
  EXPECT_EQ(cxx_host_fields_covered(sizeof(am_host)), 0x7fu);
  // A 1.0 host (it ended after get_service, 64 bytes) lacks only set_init_failure.
  EXPECT_EQ(cxx_host_fields_covered(64), 0x3fu);
  // An older, shorter host (one that ended before get_service) lacks get_service too.
  EXPECT_EQ(cxx_host_fields_covered(offsetof(am_host, get_service)), 0x1fu);
  // One byte short of the end of get_service is still not enough: the whole field counts.
  EXPECT_EQ(cxx_host_fields_covered(offsetof(am_host, get_service) + sizeof(void *) - 1), 0x1fu);
  // Padding between abi (ends at 12) and host_name (16) does not make host_name present.
  EXPECT_EQ(cxx_host_fields_covered(12), 0x3u);
  EXPECT_EQ(cxx_host_fields_covered(4), 0x1u);
  EXPECT_EQ(cxx_host_fields_covered(0), 0x0u);
  // A newer, larger host covers every field this SDK knows.
  EXPECT_EQ(cxx_host_fields_covered(sizeof(am_host) + 64), 0x7fu);
  for (uint32_t size = 0; size <= sizeof(am_host) + 8; ++size)
    EXPECT_EQ(am_abi_c_host_fields_covered(size), cxx_host_fields_covered(size)) << size;
}

// The 1.1 additions sit after everything 1.0 had, so a 1.0 plugin reading a 1.1 host's
// structs finds every field where it was, and a 1.1 plugin given a 1.0-sized struct sees the
// new fields as absent.
TEST(AbiHasField, VersionOneOneFieldsAreAppendedAfterTheOneZeroEnd) {
  EXPECT_EQ(offsetof(am_host, set_init_failure), 64u);
  EXPECT_EQ(offsetof(am_action_call, host_data), 64u);
  EXPECT_EQ(offsetof(am_action_call, set_refusal), 72u);
  am_action_call old_call{};
  old_call.struct_size = 64;  // a 1.0 host's call
  const am_action_call *c = &old_call;
  EXPECT_TRUE(AM_HAS_FIELD(c, am_action_call, done_user));
  EXPECT_FALSE(AM_HAS_FIELD(c, am_action_call, host_data));
  EXPECT_FALSE(AM_HAS_FIELD(c, am_action_call, set_refusal));
  old_call.struct_size = sizeof(am_action_call);
  EXPECT_TRUE(AM_HAS_FIELD(c, am_action_call, set_refusal));
  EXPECT_GE(AM_ABI_MINOR, 1);
}

// 1.2 appended am_http_request.flags after everything 1.1 had: an older, smaller request is
// told apart by its size and keeps "0 = no limit".
TEST(AbiHasField, VersionOneTwoFieldsAreAppendedAfterTheOneOneEnd) {
  EXPECT_EQ(offsetof(am_http_request, flags), 152u);
  am_http_request old_request{};
  old_request.struct_size = 152;
  const am_http_request *r = &old_request;
  EXPECT_TRUE(AM_HAS_FIELD(r, am_http_request, no_redirects));
  EXPECT_FALSE(AM_HAS_FIELD(r, am_http_request, flags));
  old_request.struct_size = sizeof(am_http_request);
  EXPECT_TRUE(AM_HAS_FIELD(r, am_http_request, flags));
  EXPECT_GE(AM_ABI_MINOR, 2);
}

// 1.4 appended the text rules to am_publisher and am_publish after everything 1.3 had: a
// publisher or host built for 1.3 is told apart by its size.
TEST(AbiHasField, VersionOneFourTextRulesAreAppendedAfterTheOneThreeEnd) {
  EXPECT_EQ(offsetof(am_publisher, text_length), 32u);
  EXPECT_EQ(offsetof(am_publisher, fit_text), 40u);
  EXPECT_EQ(offsetof(am_publish, text_length), 56u);
  EXPECT_EQ(offsetof(am_publish, fit_text), 64u);
  am_publisher old_publisher{};
  old_publisher.struct_size = 32;  // a 1.3 publisher
  const am_publisher *p = &old_publisher;
  EXPECT_TRUE(AM_HAS_FIELD(p, am_publisher, cancel));
  EXPECT_FALSE(AM_HAS_FIELD(p, am_publisher, text_length));
  EXPECT_FALSE(AM_HAS_FIELD(p, am_publisher, fit_text));
  old_publisher.struct_size = sizeof(am_publisher);
  EXPECT_TRUE(AM_HAS_FIELD(p, am_publisher, fit_text));
  EXPECT_GE(AM_ABI_MINOR, 4);
}

// 1.5 appended am_http_request's secret headers after everything 1.4 had (and the
// AM_HTTP_USER_URL flag): a 1.4 request is told apart by its size.
TEST(AbiHasField, VersionOneFiveSecretHeadersAreAppendedAfterTheOneFourEnd) {
  EXPECT_EQ(offsetof(am_http_request, secret_headers), 160u);
  EXPECT_EQ(offsetof(am_http_request, secret_header_count), 168u);
  am_http_request old_request{};
  old_request.struct_size = 160;  // a 1.4 request
  const am_http_request *r = &old_request;
  EXPECT_TRUE(AM_HAS_FIELD(r, am_http_request, flags));
  EXPECT_FALSE(AM_HAS_FIELD(r, am_http_request, secret_headers));
  EXPECT_FALSE(AM_HAS_FIELD(r, am_http_request, secret_header_count));
  old_request.struct_size = sizeof(am_http_request);
  EXPECT_TRUE(AM_HAS_FIELD(r, am_http_request, secret_header_count));
  EXPECT_EQ(AM_HTTP_USER_URL & AM_HTTP_NO_TIMEOUT, 0u);
  EXPECT_GE(AM_ABI_MINOR, 5);
}

// 1.6 appended the locked OAuth refresh to am_store: a 1.5 host's table is told apart by its size.
TEST(AbiHasField, VersionOneSixOAuthRefreshIsAppendedAfterTheOneFiveStore) {
  am_store old_store{};
  old_store.struct_size = 112;  // a 1.5 host's table
  const am_store *s = &old_store;
  EXPECT_TRUE(AM_HAS_FIELD(s, am_store, remove_product));
  EXPECT_FALSE(AM_HAS_FIELD(s, am_store, begin_oauth_refresh));
  EXPECT_FALSE(AM_HAS_FIELD(s, am_store, end_oauth_refresh));
  old_store.struct_size = sizeof(am_store);
  EXPECT_TRUE(AM_HAS_FIELD(s, am_store, end_oauth_refresh));
  EXPECT_GE(AM_ABI_MINOR, 6);
}

// 1.7 appended a provider's departures from the RFCs to am_oauth_request: a 1.6 plugin's request
// is told apart by its size, and its zeroes are the RFC defaults.
TEST(AbiHasField, VersionOneSevenOAuthDialectIsAppendedAfterTheOneSixRequest) {
  EXPECT_EQ(offsetof(am_oauth_request, client_id_name), 160u);
  EXPECT_EQ(offsetof(am_oauth_request, token_answer), 200u);
  am_oauth_request old_request{};
  old_request.struct_size = 160;  // a 1.6 request
  const am_oauth_request *r = &old_request;
  EXPECT_TRUE(AM_HAS_FIELD(r, am_oauth_request, on_url));
  EXPECT_FALSE(AM_HAS_FIELD(r, am_oauth_request, client_id_name));
  EXPECT_FALSE(AM_HAS_FIELD(r, am_oauth_request, scope_separator));
  EXPECT_FALSE(AM_HAS_FIELD(r, am_oauth_request, challenge));
  EXPECT_FALSE(AM_HAS_FIELD(r, am_oauth_request, token_method));
  EXPECT_FALSE(AM_HAS_FIELD(r, am_oauth_request, token_answer));
  old_request.struct_size = sizeof(am_oauth_request);
  EXPECT_TRUE(AM_HAS_FIELD(r, am_oauth_request, token_answer));
  EXPECT_EQ(AM_OAUTH_CHALLENGE_S256, 0);
  EXPECT_EQ(AM_OAUTH_TOKEN_POST_FORM, 0);
  EXPECT_EQ(AM_OAUTH_ANSWER_OBJECT, 0);
  EXPECT_GE(AM_ABI_MINOR, 7);
}

// A C plugin fills a chat request (struct_size first, borrowed messages) and calls the table.
TEST(AbiCCallers, ChatRequestFilledInC) {
  static am_llm_request seen{};
  static std::string messages;
  am_llm llm{};
  llm.struct_size = sizeof llm;
  llm.chat = [](const am_host *, am_job *, const am_llm_request *r, am_llm_delta_fn,
                am_llm_done_fn done, void *) -> am_op_id {
    seen = *r;
    messages.assign(r->messages_json.data, r->messages_json.len);
    return done ? 7 : 0;
  };
  am_host host{};
  EXPECT_EQ(am_abi_c_llm_chat(&llm, &host, nullptr), 7u);
  EXPECT_EQ(seen.struct_size, sizeof(am_llm_request));
  EXPECT_EQ(messages, R"([{"role":"user","content":"hi"}])");
}

// A C plugin asks for a publisher's text length only when the host's table has the 1.4 field.
TEST(AbiCCallers, TextLengthAskedOnlyOfAOneFourHost) {
  static std::string asked;
  am_publish publish{};
  publish.struct_size = sizeof publish;
  publish.text_length = [](const am_host *, am_str plugin, am_str text, am_text_length *out,
                           am_buffer *) -> am_status {
    asked.assign(plugin.data, plugin.len);
    if (!AM_HAS_FIELD(out, am_text_length, links)) return AM_INVALID_ARGUMENT;
    out->length = static_cast<int32_t>(text.len) * 2;
    out->max_length = 280;
    return AM_OK;
  };
  am_host host{};
  int32_t length = 0, max_length = 0;
  EXPECT_EQ(am_abi_c_text_length(&publish, &host, "twitter", "abc", &length, &max_length), AM_OK);
  EXPECT_EQ(asked, "twitter");
  EXPECT_EQ(length, 6);
  EXPECT_EQ(max_length, 280);

  asked.clear();
  publish.struct_size = offsetof(am_publish, text_length);  // a 1.3 host's table
  EXPECT_EQ(am_abi_c_text_length(&publish, &host, "twitter", "abc", &length, &max_length),
            AM_UNSUPPORTED);
  EXPECT_TRUE(asked.empty());
}

TEST(AbiEntry, CInitialisedEntryLeadsWithItsAbiVersion) {
  const am_plugin_entry *e = am_abi_c_entry();
  // The host reads the version through the first 8 bytes before anything else.
  am_version first;
  std::memcpy(&first, e, sizeof first);
  EXPECT_EQ(first.major, static_cast<uint32_t>(AM_ABI_MAJOR));
  EXPECT_EQ(first.minor, static_cast<uint32_t>(AM_ABI_MINOR));
  EXPECT_EQ(e->struct_size, sizeof(am_plugin_entry));
  EXPECT_STREQ(e->id, "abi-c");
  am_host h{};
  EXPECT_EQ(e->init(&h), AM_OK);
  EXPECT_EQ(e->init(nullptr), AM_INVALID_ARGUMENT);
}

TEST(AbiStatus, NamesAreStableAndUnknownCodesReadAsError) {
  EXPECT_STREQ(am_status_name(AM_OK), "ok");
  EXPECT_STREQ(am_status_name(AM_CANCELLED), "cancelled");
  EXPECT_STREQ(am_abi_c_status_name(AM_CANCELLED), "cancelled");
  EXPECT_STREQ(am_abi_c_status_name(AM_NO_MEMORY), "out of memory");
  EXPECT_STREQ(am_status_name(9999), "error");
  EXPECT_STREQ(am_abi_c_status_name(-1), "error");
  // Codes are part of the ABI: their values never change.
  EXPECT_EQ(AM_OK, 0);
  EXPECT_EQ(AM_CANCELLED, 1);
  EXPECT_EQ(AM_ERROR, 2);
  EXPECT_EQ(AM_NO_MEMORY, 14);
  EXPECT_EQ(AM_UNCERTAIN, 15);  // 1.3
  EXPECT_STREQ(am_abi_c_status_name(AM_UNCERTAIN), "uncertain");
}

TEST(AbiBuffer, ReleaseRunsOnceAndEmptiesTheBuffer) {
  static int releases = 0;
  releases = 0;
  am_buffer b{reinterpret_cast<const uint8_t *>("abc"), 3, [](am_buffer *) { ++releases; },
              nullptr};
  am_buffer_release(&b);
  EXPECT_EQ(releases, 1);
  EXPECT_EQ(b.data, nullptr);
  EXPECT_EQ(b.size, 0u);
  am_buffer_release(&b);  // now empty: nothing to release
  EXPECT_EQ(releases, 1);
  am_buffer_release(nullptr);
}

}  // namespace
