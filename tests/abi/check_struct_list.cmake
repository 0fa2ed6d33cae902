# tests/abi/check_struct_list.cmake — fails when a struct defined in an SDK C header has no
# AM_ABI_STRUCT line in abi_layouts.def, so no released struct goes unpinned.
# Usage: cmake -DHEADERS_DIR=<sdk/include/automuse> -DLAYOUTS=<abi_layouts.def> -P this-file
file(GLOB headers ${HEADERS_DIR}/*.h)
file(READ ${LAYOUTS} layouts)
set(missing)
set(count 0)
foreach(h IN LISTS headers)
  file(READ ${h} text)
  # Struct definitions: "struct am_x {" (also inside "typedef struct am_x {").
  string(REGEX MATCHALL "struct[ \t\r\n]+am_[A-Za-z0-9_]+[ \t\r\n]*{" defs "${text}")
  foreach(def IN LISTS defs)
    string(REGEX REPLACE "struct[ \t\r\n]+(am_[A-Za-z0-9_]+).*" "\\1" name "${def}")
    math(EXPR count "${count} + 1")
    string(FIND "${layouts}" "AM_ABI_STRUCT(${name}," at)
    if(at EQUAL -1)
      get_filename_component(file ${h} NAME)
      list(APPEND missing "${name} (defined in ${file})")
    endif()
  endforeach()
endforeach()
if(missing)
  list(JOIN missing "\n  " text)
  message(FATAL_ERROR "structs with no line in ${LAYOUTS}:\n  ${text}\n"
          "Add AM_ABI_STRUCT(name, size, align, (field, offset), ...) for each.")
endif()
message(STATUS "${count} struct definitions, all listed in abi_layouts.def")
