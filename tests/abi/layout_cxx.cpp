// tests/abi/layout_cxx.cpp — the ABI checked by a C++ compiler (built twice, as C++17 and as
// C++20, with -Wall -Wextra -pedantic -Werror): the same static assertions as the C11 unit,
// and in C++20 also that abi_layouts.def lists every field of each struct (an aggregate's
// field count is found by brace-initialising it from "anything" values).
#include <cstddef>

#include "abi_check.h"
#include "automuse_all_headers.h"  // generated: every SDK C header

#define AM_ABI_STRUCT AM_ABI_STRUCT_CHECK
#include "abi_layouts.def"
#undef AM_ABI_STRUCT

#if __cplusplus >= 202002L
namespace {

// Converts to any field type; only used in unevaluated requires-expressions.
struct any_field {
  template <class T>
  operator T() const noexcept;
};

// The number of fields of aggregate T: the largest N for which T{any_field x N} is valid.
// No brace elision happens because any_field converts to every field type directly.
template <class T, class... A>
constexpr std::size_t field_count() {
  if constexpr (requires { T{A{}..., any_field{}}; })
    return field_count<T, A..., any_field>();
  else
    return sizeof...(A);
}

#define AM_ABI_STRUCT(t, size, align, ...)                     \
  static_assert(field_count<t>() == AM_ABI_NARGS(__VA_ARGS__), \
                "abi_layouts.def does not list every field of " #t);
#include "abi_layouts.def"
#undef AM_ABI_STRUCT

}  // namespace
#endif
