# tests/examples/guide_examples_test.cmake — keeps docs/plugin-development.md honest:
#  - every ```c block of the guide compiles as its own C11 translation unit against the SDK's
#    headers (-fsyntax-only, warnings as errors), so each name it uses is the headers' name;
#  - every service the headers define (each AM_<NAME>_SERVICE_ID "automuse.<name>/<n>") has a
#    section "### <Title>: `automuse.<name>/<n>`" in the guide with at least one C example.
# Usage: cmake -DGUIDE= -DSDK_INCLUDE= -DC_COMPILER= -DWORK_DIR= -P guide_examples_test.cmake
cmake_minimum_required(VERSION 3.25)

foreach(var GUIDE SDK_INCLUDE C_COMPILER WORK_DIR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "guide_examples_test.cmake: -D${var}=... is required")
  endif()
endforeach()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
# Read as one string and cut it with FIND/SUBSTRING only: C code is full of ';', which CMake
# lists would split.
file(READ ${GUIDE} guide)

# The text between "```c\n" at or after `from` and the next "```" line, in <out>; <out>_END
# is where the search may go on, -1 when there is no further block.
function(next_c_block text from out)
  string(SUBSTRING "${text}" ${from} -1 rest)
  string(FIND "${rest}" "\n```c\n" open)
  if(open EQUAL -1)
    set(${out}_END -1 PARENT_SCOPE)
    return()
  endif()
  math(EXPR body_at "${open} + 6")
  string(SUBSTRING "${rest}" ${body_at} -1 body)
  string(FIND "${body}" "\n```" close)
  if(close EQUAL -1)
    message(FATAL_ERROR "${GUIDE}: a ```c block is never closed")
  endif()
  string(SUBSTRING "${body}" 0 ${close} code)
  math(EXPR end "${from} + ${body_at} + ${close} + 4")
  set(${out} "${code}\n" PARENT_SCOPE)
  set(${out}_END ${end} PARENT_SCOPE)
endfunction()

# 1. Every C block compiles.
set(at 0)
set(count 0)
while(TRUE)
  next_c_block("${guide}" ${at} block)
  if(block_END EQUAL -1)
    break()
  endif()
  math(EXPR count "${count} + 1")
  set(source ${WORK_DIR}/example-${count}.c)
  file(WRITE ${source} "${block}")
  execute_process(
    COMMAND ${C_COMPILER} -std=c11 -fsyntax-only -Wall -Wextra -Wno-unused-parameter -pedantic
            -Werror -I${SDK_INCLUDE} ${source}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "C example ${count} of ${GUIDE} does not compile against "
                        "${SDK_INCLUDE}:\n${out}${err}\n--- the example:\n${block}")
  endif()
  set(at ${block_END})
endwhile()
if(count LESS 2)
  message(FATAL_ERROR "${GUIDE}: found ${count} ```c blocks; the parser is broken")
endif()

# 2. Every service has its section with a C example.
file(GLOB headers ${SDK_INCLUDE}/automuse/*.h)
set(services)
foreach(header IN LISTS headers)
  file(STRINGS ${header} ids REGEX "^#define AM_[A-Z_]+_SERVICE_ID \"automuse\\.[a-z]+/[0-9]+\"")
  foreach(line IN LISTS ids)
    string(REGEX MATCH "\"(automuse\\.[a-z]+/[0-9]+)\"" _ "${line}")
    list(APPEND services ${CMAKE_MATCH_1})
  endforeach()
endforeach()
list(LENGTH services n_services)
if(n_services LESS 12)
  message(FATAL_ERROR "found only ${n_services} service ids in ${SDK_INCLUDE}: ${services}")
endif()
foreach(id IN LISTS services)
  string(REGEX MATCH "\n### [^\n]*: `${id}`\n" heading "${guide}")
  if(heading STREQUAL "")
    message(FATAL_ERROR "${GUIDE} has no section \"### <Title>: `${id}`\"")
  endif()
  string(FIND "${guide}" "${heading}" section_at)
  string(LENGTH "${heading}" heading_length)
  math(EXPR body_at "${section_at} + ${heading_length} - 1")
  string(SUBSTRING "${guide}" ${body_at} -1 section)
  string(FIND "${section}" "\n```c\n" example)
  string(REGEX MATCH "\n##+ " next_heading "${section}")
  set(next_at -1)
  if(next_heading)
    string(FIND "${section}" "${next_heading}" next_at)
  endif()
  if(example EQUAL -1 OR (next_at GREATER -1 AND example GREATER next_at))
    message(FATAL_ERROR "${GUIDE}: the section of ${id} has no C example")
  endif()
endforeach()

message(STATUS "${GUIDE}: ${count} C examples compile; ${n_services} services each have a "
               "section with an example")
