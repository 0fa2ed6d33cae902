// automuse/cpp/error.hpp — the exception type of the C++ helpers and the boundary guard that
// turns any exception into a status code, so no exception ever crosses the C ABI.
#pragma once

#include <automuse/types.h>

#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>

namespace am {

// An error with a status code. Thrown by the helpers when a service reports failure.
class error : public std::runtime_error {
 public:
  error(am_status status, const std::string &message) : std::runtime_error(message), status_(status) {}
  am_status status() const noexcept { return status_; }

 private:
  am_status status_;
};

// The status and message of the exception being handled; call only inside a catch block.
inline std::pair<am_status, std::string> current_exception_status() noexcept {
  try {
    throw;
  } catch (const error &e) {
    return {e.status(), e.what()};
  } catch (const std::bad_alloc &) {
    return {AM_NO_MEMORY, "out of memory"};
  } catch (const std::exception &e) {
    return {AM_ERROR, e.what()};
  } catch (...) {
    return {AM_INTERNAL, "unknown exception"};
  }
}

// Run f() and turn whatever it throws into a status; AM_OK when it returns normally.
// Use it around the body of every function the host calls into. If `message` is given it
// receives the error text.
template <class F>
am_status guard(F &&f, std::string *message = nullptr) noexcept {
  try {
    std::forward<F>(f)();
    return AM_OK;
  } catch (...) {
    auto [status, text] = current_exception_status();
    if (message) {
      try {
        *message = std::move(text);
      } catch (...) {
      }
    }
    return status;
  }
}

// Throw am::error if status is not AM_OK.
inline void check(am_status status, const std::string &what) {
  if (status != AM_OK) throw error(status, what);
}

}  // namespace am
