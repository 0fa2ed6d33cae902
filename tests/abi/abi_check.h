/* tests/abi/abi_check.h — turns abi_layouts.def into compile-time checks, in C11 and C++.
 * Include after the SDK headers. Defines AM_ABI_CHECK_ALL, which expands every line of
 * abi_layouts.def into static assertions on size, alignment and each field's offset. */
#ifndef AUTOMUSE_TESTS_ABI_CHECK_H
#define AUTOMUSE_TESTS_ABI_CHECK_H

#include <stddef.h>

#ifdef __cplusplus
#define AM_ABI_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#define AM_ABI_ALIGNOF(t) alignof(t)
#else
#define AM_ABI_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#define AM_ABI_ALIGNOF(t) _Alignof(t)
#endif

/* Counting and iterating variadic arguments (up to 40 fields per struct). */
#define AM_ABI_NARGS_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, _17, \
                      _18, _19, _20, _21, _22, _23, _24, _25, _26, _27, _28, _29, _30, _31, _32,  \
                      _33, _34, _35, _36, _37, _38, _39, _40, N, ...)                             \
  N
#define AM_ABI_NARGS(...)                                                                        \
  AM_ABI_NARGS_(__VA_ARGS__, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, \
                23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1)
#define AM_ABI_EACH_1(M, t, x) M(t, x)
#define AM_ABI_EACH_2(M, t, x, ...) M(t, x) AM_ABI_EACH_1(M, t, __VA_ARGS__)
#define AM_ABI_EACH_3(M, t, x, ...) M(t, x) AM_ABI_EACH_2(M, t, __VA_ARGS__)
#define AM_ABI_EACH_4(M, t, x, ...) M(t, x) AM_ABI_EACH_3(M, t, __VA_ARGS__)
#define AM_ABI_EACH_5(M, t, x, ...) M(t, x) AM_ABI_EACH_4(M, t, __VA_ARGS__)
#define AM_ABI_EACH_6(M, t, x, ...) M(t, x) AM_ABI_EACH_5(M, t, __VA_ARGS__)
#define AM_ABI_EACH_7(M, t, x, ...) M(t, x) AM_ABI_EACH_6(M, t, __VA_ARGS__)
#define AM_ABI_EACH_8(M, t, x, ...) M(t, x) AM_ABI_EACH_7(M, t, __VA_ARGS__)
#define AM_ABI_EACH_9(M, t, x, ...) M(t, x) AM_ABI_EACH_8(M, t, __VA_ARGS__)
#define AM_ABI_EACH_10(M, t, x, ...) M(t, x) AM_ABI_EACH_9(M, t, __VA_ARGS__)
#define AM_ABI_EACH_11(M, t, x, ...) M(t, x) AM_ABI_EACH_10(M, t, __VA_ARGS__)
#define AM_ABI_EACH_12(M, t, x, ...) M(t, x) AM_ABI_EACH_11(M, t, __VA_ARGS__)
#define AM_ABI_EACH_13(M, t, x, ...) M(t, x) AM_ABI_EACH_12(M, t, __VA_ARGS__)
#define AM_ABI_EACH_14(M, t, x, ...) M(t, x) AM_ABI_EACH_13(M, t, __VA_ARGS__)
#define AM_ABI_EACH_15(M, t, x, ...) M(t, x) AM_ABI_EACH_14(M, t, __VA_ARGS__)
#define AM_ABI_EACH_16(M, t, x, ...) M(t, x) AM_ABI_EACH_15(M, t, __VA_ARGS__)
#define AM_ABI_EACH_17(M, t, x, ...) M(t, x) AM_ABI_EACH_16(M, t, __VA_ARGS__)
#define AM_ABI_EACH_18(M, t, x, ...) M(t, x) AM_ABI_EACH_17(M, t, __VA_ARGS__)
#define AM_ABI_EACH_19(M, t, x, ...) M(t, x) AM_ABI_EACH_18(M, t, __VA_ARGS__)
#define AM_ABI_EACH_20(M, t, x, ...) M(t, x) AM_ABI_EACH_19(M, t, __VA_ARGS__)
#define AM_ABI_EACH_21(M, t, x, ...) M(t, x) AM_ABI_EACH_20(M, t, __VA_ARGS__)
#define AM_ABI_EACH_22(M, t, x, ...) M(t, x) AM_ABI_EACH_21(M, t, __VA_ARGS__)
#define AM_ABI_EACH_23(M, t, x, ...) M(t, x) AM_ABI_EACH_22(M, t, __VA_ARGS__)
#define AM_ABI_EACH_24(M, t, x, ...) M(t, x) AM_ABI_EACH_23(M, t, __VA_ARGS__)
#define AM_ABI_EACH_25(M, t, x, ...) M(t, x) AM_ABI_EACH_24(M, t, __VA_ARGS__)
#define AM_ABI_EACH_26(M, t, x, ...) M(t, x) AM_ABI_EACH_25(M, t, __VA_ARGS__)
#define AM_ABI_EACH_27(M, t, x, ...) M(t, x) AM_ABI_EACH_26(M, t, __VA_ARGS__)
#define AM_ABI_EACH_28(M, t, x, ...) M(t, x) AM_ABI_EACH_27(M, t, __VA_ARGS__)
#define AM_ABI_EACH_29(M, t, x, ...) M(t, x) AM_ABI_EACH_28(M, t, __VA_ARGS__)
#define AM_ABI_EACH_30(M, t, x, ...) M(t, x) AM_ABI_EACH_29(M, t, __VA_ARGS__)
#define AM_ABI_EACH_31(M, t, x, ...) M(t, x) AM_ABI_EACH_30(M, t, __VA_ARGS__)
#define AM_ABI_EACH_32(M, t, x, ...) M(t, x) AM_ABI_EACH_31(M, t, __VA_ARGS__)
#define AM_ABI_EACH_33(M, t, x, ...) M(t, x) AM_ABI_EACH_32(M, t, __VA_ARGS__)
#define AM_ABI_EACH_34(M, t, x, ...) M(t, x) AM_ABI_EACH_33(M, t, __VA_ARGS__)
#define AM_ABI_EACH_35(M, t, x, ...) M(t, x) AM_ABI_EACH_34(M, t, __VA_ARGS__)
#define AM_ABI_EACH_36(M, t, x, ...) M(t, x) AM_ABI_EACH_35(M, t, __VA_ARGS__)
#define AM_ABI_EACH_37(M, t, x, ...) M(t, x) AM_ABI_EACH_36(M, t, __VA_ARGS__)
#define AM_ABI_EACH_38(M, t, x, ...) M(t, x) AM_ABI_EACH_37(M, t, __VA_ARGS__)
#define AM_ABI_EACH_39(M, t, x, ...) M(t, x) AM_ABI_EACH_38(M, t, __VA_ARGS__)
#define AM_ABI_EACH_40(M, t, x, ...) M(t, x) AM_ABI_EACH_39(M, t, __VA_ARGS__)
#define AM_ABI_CAT_(a, b) a##b
#define AM_ABI_CAT(a, b) AM_ABI_CAT_(a, b)
#define AM_ABI_EACH(M, t, ...) \
  AM_ABI_CAT(AM_ABI_EACH_, AM_ABI_NARGS(__VA_ARGS__))(M, t, __VA_ARGS__)

/* (field, offset) pairs are unpacked through one more expansion. */
#define AM_ABI_UNPAREN(field, offset) field, offset
#define AM_ABI_APPLY(m, args) m args
#define AM_ABI_FIELD_OFFSET(t, field, offset)          \
  AM_ABI_STATIC_ASSERT(offsetof(t, field) == (offset), \
                       #t "." #field " moved: expected offset " #offset);
#define AM_ABI_FIELD(t, pair) AM_ABI_APPLY(AM_ABI_FIELD_OFFSET, (t, AM_ABI_UNPAREN pair))

#define AM_ABI_STRUCT_CHECK(t, size, align, ...)                                                   \
  AM_ABI_STATIC_ASSERT(sizeof(t) == (size), "sizeof(" #t ") changed: expected " #size);            \
  AM_ABI_STATIC_ASSERT(AM_ABI_ALIGNOF(t) == (align), "alignof(" #t ") changed: expected " #align); \
  AM_ABI_EACH(AM_ABI_FIELD, t, __VA_ARGS__)

#endif /* AUTOMUSE_TESTS_ABI_CHECK_H */
