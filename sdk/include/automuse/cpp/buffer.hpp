// automuse/cpp/buffer.hpp — RAII ownership of an am_buffer received from the other side,
// and making an am_buffer from a std::string whose release frees it on this side.
#pragma once

#include <automuse/types.h>

#include <string>
#include <string_view>
#include <utility>

namespace am {

// Owns an am_buffer and releases it exactly once. Move-only.
class buffer {
 public:
  buffer() noexcept : b_{nullptr, 0, nullptr, nullptr} {}
  explicit buffer(am_buffer b) noexcept : b_(b) {}
  buffer(buffer &&o) noexcept : b_(std::exchange(o.b_, am_buffer{nullptr, 0, nullptr, nullptr})) {}
  buffer &operator=(buffer &&o) noexcept {
    if (this != &o) {
      reset();
      b_ = std::exchange(o.b_, am_buffer{nullptr, 0, nullptr, nullptr});
    }
    return *this;
  }
  buffer(const buffer &) = delete;
  buffer &operator=(const buffer &) = delete;
  ~buffer() { reset(); }

  // Where a C function writes a buffer it hands over: releases what was held first.
  am_buffer *out() noexcept {
    reset();
    return &b_;
  }
  void reset() noexcept { am_buffer_release(&b_); }

  const uint8_t *data() const noexcept { return b_.data; }
  size_t size() const noexcept { return b_.size; }
  std::string_view view() const noexcept {
    return b_.data ? std::string_view(reinterpret_cast<const char *>(b_.data), b_.size)
                   : std::string_view();
  }
  std::string str() const { return std::string(view()); }

 private:
  am_buffer b_;
};

// An am_buffer that owns a copy of `bytes`; its release deletes it on the side that made it.
inline am_buffer make_buffer(std::string bytes) {
  auto *owned = new std::string(std::move(bytes));
  am_buffer b;
  b.data = reinterpret_cast<const uint8_t *>(owned->data());
  b.size = owned->size();
  b.owner = owned;
  b.release = [](am_buffer *self) { delete static_cast<std::string *>(self->owner); };
  return b;
}

}  // namespace am
