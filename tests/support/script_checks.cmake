# tests/support/script_checks.cmake — the checks the CMake-script tests (tests/examples,
# tests/plugins_out_of_tree) share: running a command and failing the test with its output
# unless it exits as expected, and comparing text.

# Fails naming the first of the variables (given with -D) that `script` needs and lacks.
function(require_vars script)
  foreach(var IN LISTS ARGN)
    if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
      message(FATAL_ERROR "${script}: -D${var}=... is required")
    endif()
  endforeach()
endfunction()

# Runs a command; fails the test with its output unless it exits with `expect_rc` (a number, or
# "nonzero"). Sets <prefix>_OUT and <prefix>_ERR in the caller.
function(run prefix expect_rc)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(expect_rc STREQUAL "nonzero")
    if(rc EQUAL 0)
      message(FATAL_ERROR "expected failure, got exit 0:\n  ${ARGN}\nstdout:\n${out}\nstderr:\n${err}")
    endif()
  elseif(NOT "${rc}" STREQUAL "${expect_rc}")
    message(FATAL_ERROR "exit ${rc} (expected ${expect_rc}):\n  ${ARGN}\nstdout:\n${out}\nstderr:\n${err}")
  endif()
  set(${prefix}_OUT "${out}" PARENT_SCOPE)
  set(${prefix}_ERR "${err}" PARENT_SCOPE)
endfunction()

function(expect_contains haystack needle what)
  string(FIND "${haystack}" "${needle}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${what}: expected to find '${needle}' in:\n${haystack}")
  endif()
endfunction()

function(expect_equal actual expected what)
  if(NOT "${actual}" STREQUAL "${expected}")
    message(FATAL_ERROR "${what}: expected '${expected}', got '${actual}'")
  endif()
endfunction()

# The files under `dir`, relative to it, sorted.
function(files_under dir out)
  file(GLOB_RECURSE found RELATIVE ${dir} ${dir}/*)
  list(SORT found)
  set(${out} "${found}" PARENT_SCOPE)
endfunction()

# The indices, in <out>, of the entries of `plugins list --json`'s output `list_json` whose id
# matches the regex `ids` (the build's bundled plugins are listed too); fails unless `list_json`
# is a JSON array.
function(listed_plugins list_json ids out)
  string(JSON count ERROR_VARIABLE json_error LENGTH "${list_json}")
  if(json_error)
    message(FATAL_ERROR "plugins list --json is not a JSON array (${json_error}):\n${list_json}")
  endif()
  set(found)
  math(EXPR last "${count} - 1")
  foreach(i RANGE ${last})
    string(JSON id GET "${list_json}" ${i} id)
    if(id MATCHES "${ids}")
      list(APPEND found ${i})
    endif()
  endforeach()
  set(${out} ${found} PARENT_SCOPE)
endfunction()

# Fails unless the shared library `library` exports exactly one symbol, automuse_plugin_entry.
function(expect_only_entry_exported library what)
  find_program(NM nm REQUIRED)
  run(nm 0 ${NM} -D --defined-only ${library})
  string(REGEX MATCHALL "[^\n]+" symbols "${nm_OUT}")
  list(FILTER symbols EXCLUDE REGEX "^$")
  list(TRANSFORM symbols REPLACE "^[0-9a-fA-F]* *[A-Za-z] " "")
  expect_equal("${symbols}" "automuse_plugin_entry" "${what}: exported symbols")
endfunction()
