# tests/examples/examples_test.cmake — the SDK as a third party gets it:
#  1. configure sdk/ as a project of its own, with package, library and header searches
#     confined to an empty folder (so it can need no library) and no language enabled (so it
#     needs no compiler), and install it alone into an empty temporary prefix (its headers,
#     plugin_support's headers and sources, the CMake package: nothing compiled); its package
#     version is the ABI of version.h, and the top-level build's `--component sdk` installs the
#     very same files;
#  2. configure and build examples/hello-c (C11 only) and examples/hello-cpp (C++20 helpers)
#     out of tree with CMAKE_PREFIX_PATH=<prefix> and nothing else, and check they really used
#     that prefix (not the source tree), export only the entry symbol, and that hello-c needs
#     no C++ runtime; a project asking for a newer ABI than the SDK's is refused;
#  3. load both in automuse-host: `plugins list --json` names them with their ids, versions,
#     ABI and actions; `--plugin hello-c greet` and `--plugin hello-cpp gather` succeed and
#     print the expected JSON; an unknown action fails with a message naming the real ones.
# Usage: cmake -DBUILD_DIR= -DSDK_DIR= -DEXAMPLES_DIR= -DSOURCE_DIR= -DWORK_DIR= -DHOST=
#              -DGENERATOR= -DC_COMPILER= -DCXX_COMPILER= -P examples_test.cmake
cmake_minimum_required(VERSION 3.25)

if(NOT SOURCE_DIR)
  message(FATAL_ERROR "examples_test.cmake: -DSOURCE_DIR=... is required")
endif()
include(${SOURCE_DIR}/tests/support/script_checks.cmake)
require_vars(examples_test.cmake BUILD_DIR SDK_DIR EXAMPLES_DIR WORK_DIR HOST GENERATOR)

file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
set(plugin_dir ${WORK_DIR}/plugins)
file(MAKE_DIRECTORY ${prefix} ${plugin_dir} ${WORK_DIR}/xdg-data ${WORK_DIR}/xdg-config)

# 1. The SDK as its own project: no compiler, no package found anywhere, installed alone.
set(sdk_build ${WORK_DIR}/build-sdk)
set(nothing ${WORK_DIR}/nothing)
file(MAKE_DIRECTORY ${nothing})
run(sdk_configure 0 ${CMAKE_COMMAND} -S ${SDK_DIR} -B ${sdk_build} -G ${GENERATOR}
    -DCMAKE_FIND_ROOT_PATH=${nothing} -DCMAKE_FIND_ROOT_PATH_MODE_PACKAGE=ONLY
    -DCMAKE_FIND_ROOT_PATH_MODE_LIBRARY=ONLY -DCMAKE_FIND_ROOT_PATH_MODE_INCLUDE=ONLY)
file(STRINGS ${sdk_build}/CMakeCache.txt sdk_compilers REGEX "^CMAKE_(C|CXX)_COMPILER:")
expect_equal("${sdk_compilers}" "" "compilers the standalone SDK configure looked for")
run(sdk_install 0 ${CMAKE_COMMAND} --install ${sdk_build} --prefix ${prefix})

# Exactly the headers of the tree, plugin_support's headers and sources, and the CMake package;
# nothing else (no binaries).
file(GLOB_RECURSE headers RELATIVE ${SDK_DIR} ${SDK_DIR}/include/*)
set(expected ${headers})
foreach(f automuse-sdkConfig.cmake automuse-sdkConfigVersion.cmake automuse-sdk-targets.cmake
          AutomusePlugin.cmake AutomusePluginSupport.cmake)
  list(APPEND expected share/cmake/automuse-sdk/${f})
endforeach()
file(GLOB support_headers RELATIVE ${SOURCE_DIR}/plugins/plugin_support
     ${SOURCE_DIR}/plugins/plugin_support/*.hpp)
file(GLOB support_sources RELATIVE ${SOURCE_DIR}/plugins/plugin_support
     ${SOURCE_DIR}/plugins/plugin_support/*.cpp)
list(TRANSFORM support_headers PREPEND include/automuse-plugin-support/)
list(TRANSFORM support_sources PREPEND share/automuse-sdk/plugin_support/)
list(APPEND expected ${support_headers} ${support_sources})
list(SORT expected)
files_under(${prefix} installed)
expect_equal("${installed}" "${expected}" "files of the standalone SDK install")

# The package's version is the ABI version of the installed version.h.
file(STRINGS ${prefix}/include/automuse/version.h abi_defines
     REGEX "^#define AM_ABI_(MAJOR|MINOR) +[0-9]+")
string(REGEX MATCH "AM_ABI_MAJOR +([0-9]+)" _ "${abi_defines}")
set(abi_major ${CMAKE_MATCH_1})
string(REGEX MATCH "AM_ABI_MINOR +([0-9]+)" _ "${abi_defines}")
set(abi_minor ${CMAKE_MATCH_1})
set(abi ${abi_major}.${abi_minor})
file(STRINGS ${prefix}/share/cmake/automuse-sdk/automuse-sdkConfigVersion.cmake package_version
     REGEX "^set\\(PACKAGE_VERSION \"")
expect_equal("${package_version}" "set(PACKAGE_VERSION \"${abi}\")" "the package's version")

# The top-level build installs the same SDK as its `sdk` component.
set(component_prefix ${WORK_DIR}/component-prefix)
run(install 0 ${CMAKE_COMMAND} --install ${BUILD_DIR} --component sdk --prefix ${component_prefix})
files_under(${component_prefix} component_files)
expect_equal("${component_files}" "${installed}" "files of `cmake --install --component sdk`")
foreach(f IN LISTS installed)
  if(f MATCHES "^include/|^share/automuse-sdk/")
    run(same 0 ${CMAKE_COMMAND} -E compare_files ${prefix}/${f} ${component_prefix}/${f})
  endif()
endforeach()

# A project asking for a newer ABI than the SDK's (a minor or a major ahead) is refused.
math(EXPR next_minor "${abi_minor} + 1")
math(EXPR next_major "${abi_major} + 1")
foreach(wanted ${abi_major}.${next_minor} ${next_major}.0)
  set(probe ${WORK_DIR}/wants-${wanted})
  file(WRITE ${probe}/CMakeLists.txt "cmake_minimum_required(VERSION 3.25)\n"
       "project(wants LANGUAGES NONE)\nfind_package(automuse-sdk ${wanted} REQUIRED)\n")
  run(newer nonzero ${CMAKE_COMMAND} -S ${probe} -B ${probe}/build -DCMAKE_PREFIX_PATH=${prefix}
      -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF)
  expect_contains("${newer_ERR}" "${abi}" "refusing automuse-sdk ${wanted}")
endforeach()

# 2. Build each example out of tree against that prefix alone.
set(compilers)
if(C_COMPILER)
  list(APPEND compilers -DCMAKE_C_COMPILER=${C_COMPILER})
endif()
if(CXX_COMPILER)
  list(APPEND compilers -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
endif()
foreach(example hello-c hello-cpp)
  set(build ${WORK_DIR}/build-${example})
  run(configure 0 ${CMAKE_COMMAND} -S ${EXAMPLES_DIR}/${example} -B ${build} -G ${GENERATOR}
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_PREFIX_PATH=${prefix}
      -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF
      -DCMAKE_EXPORT_COMPILE_COMMANDS=ON ${compilers})
  run(build 0 ${CMAKE_COMMAND} --build ${build})
  string(FIND "${build_OUT}${build_ERR}" "warning:" warned)
  if(NOT warned EQUAL -1)
    message(FATAL_ERROR "${example} built with warnings:\n${build_OUT}${build_ERR}")
  endif()

  # The package came from the prefix, and the compiler saw the prefix's headers, not the tree's.
  file(STRINGS ${build}/CMakeCache.txt sdk_dir REGEX "^automuse-sdk_DIR:")
  expect_contains("${sdk_dir}" "${prefix}/" "${example}: where automuse-sdk was found")
  file(READ ${build}/compile_commands.json commands)
  expect_contains("${commands}" "${prefix}/include" "${example}: include path")
  string(FIND "${commands}" "${SOURCE_DIR}/sdk" leaked)
  if(NOT leaked EQUAL -1)
    message(FATAL_ERROR "${example} compiled against the source tree's SDK:\n${commands}")
  endif()

  file(GLOB library ${build}/*${example}.so)
  list(LENGTH library n)
  expect_equal("${n}" "1" "${example}: built plugin libraries")
  file(COPY ${library} DESTINATION ${plugin_dir})

  expect_only_entry_exported(${library} ${example})
endforeach()

# hello-c is plain C: compiled by the C compiler only, and linked without a C++ runtime.
file(READ ${WORK_DIR}/build-hello-c/compile_commands.json commands)
string(REGEX MATCHALL "\"file\": \"[^\"]+\"" files "${commands}")
foreach(f IN LISTS files)
  if(NOT f MATCHES "\\.c\"$")
    message(FATAL_ERROR "hello-c compiled a non-C source: ${f}")
  endif()
endforeach()
find_program(READELF readelf REQUIRED)
run(readelf 0 ${READELF} -d ${plugin_dir}/libhello-c.so)
expect_contains("${readelf_OUT}" "libc.so" "hello-c's dependencies")
foreach(cxx_runtime libstdc++ libgcc_s libboost)
  string(FIND "${readelf_OUT}" "${cxx_runtime}" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "hello-c depends on ${cxx_runtime}:\n${readelf_OUT}")
  endif()
endforeach()

# 3. Load both in the host, isolated from the user's own plugins and configuration.
set(host_env ${CMAKE_COMMAND} -E env XDG_DATA_HOME=${WORK_DIR}/xdg-data
             XDG_CONFIG_HOME=${WORK_DIR}/xdg-config)
run(list 0 ${host_env} ${HOST} --plugin-dir ${plugin_dir} plugins list --json)
listed_plugins("${list_OUT}" "^hello-c(pp)?$" examples)
set(seen)
foreach(i IN LISTS examples)
  string(JSON id GET "${list_OUT}" ${i} id)
  list(APPEND seen ${id})
  string(JSON name GET "${list_OUT}" ${i} name)
  string(JSON version GET "${list_OUT}" ${i} version)
  string(JSON plugin_abi GET "${list_OUT}" ${i} abi)
  string(JSON path GET "${list_OUT}" ${i} path)
  string(JSON n_actions LENGTH "${list_OUT}" ${i} actions)
  string(JSON action GET "${list_OUT}" ${i} actions 0)
  expect_equal("${version}" "1.0.0" "${id} version")
  expect_equal("${plugin_abi}" "${abi}" "${id} abi")
  expect_equal("${path}" "${plugin_dir}/lib${id}.so" "${id} path")
  expect_equal("${n_actions}" "1" "${id} action count")
  if(id STREQUAL "hello-c")
    expect_equal("${name}" "Hello (C)" "hello-c name")
    expect_equal("${action}" "greet" "hello-c action")
  else()
    expect_equal("${name}" "Hello (C++)" "hello-cpp name")
    expect_equal("${action}" "gather" "hello-cpp action")
  endif()
endforeach()
list(SORT seen)
expect_equal("${seen}" "hello-c;hello-cpp" "example plugins listed")

# hello-c greet: result JSON on stdout, its log line (under its own logger) on the console.
run(greet 0 ${host_env} ${HOST} --plugin-dir ${plugin_dir} --plugin hello-c greet)
string(JSON greeting ERROR_VARIABLE json_error GET "${greet_OUT}" greeting)
if(json_error)
  message(FATAL_ERROR "hello-c greet printed no JSON result (${json_error}):\n${greet_OUT}")
endif()
expect_equal("${greeting}" "Hello from C" "hello-c greet result")
expect_contains("${greet_OUT}${greet_ERR}" "hello-c greets you (host automuse-host"
                "hello-c greet log line")
# --name reaches the C plugin through automuse.args/1: it carries no JSON reader of its own.
run(greet_name 0 ${host_env} ${HOST} --plugin-dir ${plugin_dir} --plugin hello-c greet --name Ada)
expect_contains("${greet_name_OUT}${greet_name_ERR}" "hello-c greets Ada (host automuse-host"
                "hello-c greet --name log line")

# hello-cpp gather: when_all of two sleeps and worker work; the 5 ms step finishes first.
run(gather 0 ${host_env} ${HOST} --plugin-dir ${plugin_dir} --plugin hello-cpp gather)
string(JSON plugin ERROR_VARIABLE json_error GET "${gather_OUT}" plugin)
if(json_error)
  message(FATAL_ERROR "hello-cpp gather printed no JSON result (${json_error}):\n${gather_OUT}")
endif()
expect_equal("${plugin}" "hello-cpp" "hello-cpp gather result")
string(JSON steps GET "${gather_OUT}" steps)
string(JSON finished GET "${gather_OUT}" finished)
string(JSON sum GET "${gather_OUT}" sum_of_squares)
string(JSON first_step GET "${steps}" 0)
string(JSON first_finished GET "${finished}" 0)
string(JSON second_finished GET "${finished}" 1)
expect_equal("${first_step}" "slow" "gather: when_all keeps argument order")
expect_equal("${first_finished}" "fast" "gather: steps overlapped (fast finished first)")
expect_equal("${second_finished}" "slow" "gather: second to finish")
expect_equal("${sum}" "333833500" "gather: worker result (sum of squares 1..1000)")

# An unknown action fails, naming the plugin's real actions.
run(bad nonzero ${host_env} ${HOST} --plugin-dir ${plugin_dir} --plugin hello-c wave)
expect_contains("${bad_ERR}" "greet" "unknown action message")

message(STATUS "examples: SDK installed to ${prefix}; hello-c and hello-cpp built against it "
               "alone, listed and run by ${HOST}")
