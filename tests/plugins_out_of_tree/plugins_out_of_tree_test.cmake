# tests/plugins_out_of_tree/plugins_out_of_tree_test.cmake — TikTok and Instagram as a third party
# builds them, from the installed SDK only:
#  1. install this build's SDK component alone into an empty prefix: the headers, plugin_support's
#     headers and sources, the CMake package;
#  2. configure and build plugins/tiktok and plugins/instagram as projects of their own with
#     CMAKE_PREFIX_PATH=<prefix> and nothing else of the tree, and prove it: automuse-sdk came from
#     the prefix, plugin_support was compiled from the prefix's sources, and no compile command
#     names an include folder of the SDK's or plugin_support's sources, of host/ or of this build,
#     nor (with Ninja) did any object read a file from there; each library exports only its
#     entry symbol;
#  3. this build's automuse-host loads the two libraries from a plugin folder of their own
#     (--plugin-dir, ahead of the bundled copies): `plugins list --json` names them there with
#     their actions, and each publishes once against its fake — TikTokHost's and InstagramHost's
#     publishing tests, run with AUTOMUSE_TEST_PLUGIN_DIR=<that folder> — the bytes checked there.
# Usage: cmake -DBUILD_DIR= -DSOURCE_DIR= -DWORK_DIR= -DHOST= -DTIKTOK_TEST= -DINSTAGRAM_TEST=
#              -DGENERATOR= -DMAKE_PROGRAM= [-DCXX_COMPILER=] [-DCCACHE=]
#              -P plugins_out_of_tree_test.cmake
cmake_minimum_required(VERSION 3.25)

if(NOT SOURCE_DIR)
  message(FATAL_ERROR "plugins_out_of_tree_test.cmake: -DSOURCE_DIR=... is required")
endif()
include(${SOURCE_DIR}/tests/support/script_checks.cmake)
require_vars(plugins_out_of_tree_test.cmake BUILD_DIR WORK_DIR HOST TIKTOK_TEST INSTAGRAM_TEST
             GENERATOR MAKE_PROGRAM)

# The work folder's path stays the same from run to run, so that ccache finds the previous run's
# objects (the same sources compiled in the same folders with the same flags).
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
set(plugin_dir ${WORK_DIR}/plugins)
file(MAKE_DIRECTORY ${prefix} ${plugin_dir})

# 1. The SDK component alone.
run(install 0 ${CMAKE_COMMAND} --install ${BUILD_DIR} --component sdk --prefix ${prefix})
files_under(${prefix} installed)
foreach(f include/automuse/plugin.h share/cmake/automuse-sdk/automuse-sdkConfig.cmake
          share/cmake/automuse-sdk/AutomusePluginSupport.cmake
          include/automuse-plugin-support/publisher.hpp
          share/automuse-sdk/plugin_support/mp4_probe.cpp)
  list(FIND installed ${f} at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the SDK component lacks ${f}; it installed:\n${installed}")
  endif()
endforeach()
list(FILTER installed INCLUDE REGEX "\\.(so|a|o)$")
expect_equal("${installed}" "" "compiled files in the SDK component")

# 2. Each plugin on its own.
set(options -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_PREFIX_PATH=${prefix}
            -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF
            -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)
if(CXX_COMPILER)
  list(APPEND options -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
endif()
if(CCACHE)
  list(APPEND options -DCMAKE_CXX_COMPILER_LAUNCHER=${CCACHE})
endif()

# Fails when one of `paths` (relative to `build`) is in the tree or in this build but in none of
# the folders `allowed`; `what` says what the path is ("included", "read").
function(expect_not_from_tree paths build allowed what)
  string(JOIN "|" allowed ${allowed})
  foreach(path IN LISTS paths)
    cmake_path(ABSOLUTE_PATH path BASE_DIRECTORY ${build} NORMALIZE)
    if(path MATCHES "^(${allowed})(/|$)")
      continue()
    endif()
    if(path MATCHES "^(${SOURCE_DIR}|${BUILD_DIR})(/|$)")
      message(FATAL_ERROR "${build}: ${what} ${path}, of the tree or of its build, not of the "
                          "installed SDK")
    endif()
  endforeach()
endfunction()

# Fails when a compile command of `build` gives an include folder in the tree or this build other
# than the plugin's own folder, its build folder and the prefix.
function(expect_only_sdk_includes build plugin_source)
  file(READ ${build}/compile_commands.json commands)
  string(REGEX MATCHALL "(-I|-isystem |-iquote )[^ \"]+" includes "${commands}")
  list(TRANSFORM includes REPLACE "^(-I|-isystem |-iquote )" "")
  list(REMOVE_DUPLICATES includes)
  expect_not_from_tree("${includes}" ${build} "${plugin_source};${build};${prefix}"
                       "compiled with the include folder")
  expect_contains("${commands}" "${prefix}/include" "${build}: the SDK's include folder")
  expect_contains("${commands}" "${prefix}/include/automuse-plugin-support"
                  "${build}: plugin_support's include folder")
  expect_contains("${commands}" "\"file\": \"${prefix}/share/automuse-sdk/plugin_support/"
                  "${build}: plugin_support's sources")
endfunction()

# With Ninja: fails when an object of `build` read a file of the tree or of this build other than
# the plugin's own and the prefix's (ninja's deps log: the headers each object really read, so an
# include by a relative path counts too).
function(expect_only_sdk_headers build plugin_source)
  if(NOT GENERATOR MATCHES "Ninja")
    message(STATUS "${build}: headers read not checked (ninja's deps log needs Ninja)")
    return()
  endif()
  run(deps 0 ${MAKE_PROGRAM} -C ${build} -t deps)
  string(REGEX MATCHALL "\n    [^\n]+" read "${deps_OUT}")
  list(TRANSFORM read REPLACE "^\n    " "")
  list(REMOVE_DUPLICATES read)
  list(LENGTH read count)
  if(count LESS 50)
    message(FATAL_ERROR "${build}: ninja's deps log names only ${count} files:\n${deps_OUT}")
  endif()
  expect_not_from_tree("${read}" ${build} "${plugin_source};${prefix}" "compiled the file")
endfunction()

foreach(plugin tiktok instagram)
  set(source ${SOURCE_DIR}/plugins/${plugin})
  set(build ${WORK_DIR}/build-${plugin})
  run(configure 0 ${CMAKE_COMMAND} -S ${source} -B ${build} -G ${GENERATOR} ${options})
  run(build 0 ${CMAKE_COMMAND} --build ${build})
  string(FIND "${build_OUT}${build_ERR}" "warning:" warned)
  if(NOT warned EQUAL -1)
    message(FATAL_ERROR "${plugin} built with warnings:\n${build_OUT}${build_ERR}")
  endif()
  file(STRINGS ${build}/CMakeCache.txt sdk_dir REGEX "^automuse-sdk_DIR:")
  expect_contains("${sdk_dir}" "${prefix}/" "${plugin}: where automuse-sdk was found")
  expect_only_sdk_includes(${build} ${source})
  expect_only_sdk_headers(${build} ${source})
  set(library ${build}/lib${plugin}.so)
  if(NOT EXISTS ${library})
    message(FATAL_ERROR "${plugin}: no ${library} built")
  endif()
  expect_only_entry_exported(${library} ${plugin})
  file(COPY ${library} DESTINATION ${plugin_dir})
endforeach()

# 3. Loaded from their own folder, isolated from the user's plugins and configuration.
set(host_env ${CMAKE_COMMAND} -E env XDG_DATA_HOME=${WORK_DIR}/xdg-data
             XDG_CONFIG_HOME=${WORK_DIR}/xdg-config)
run(list 0 ${host_env} ${HOST} --plugin-dir ${plugin_dir} plugins list --json)
listed_plugins("${list_OUT}" "^(tiktok|instagram)$" ours)
set(seen)
foreach(i IN LISTS ours)
  string(JSON id GET "${list_OUT}" ${i} id)
  list(APPEND seen ${id})
  string(JSON path GET "${list_OUT}" ${i} path)
  expect_equal("${path}" "${plugin_dir}/lib${id}.so" "${id}: the file loaded")
  string(JSON n_actions LENGTH "${list_OUT}" ${i} actions)
  set(actions)
  math(EXPR last_action "${n_actions} - 1")
  foreach(a RANGE ${last_action})
    string(JSON action GET "${list_OUT}" ${i} actions ${a})
    list(APPEND actions ${action})
  endforeach()
  if(id STREQUAL "tiktok")
    expect_equal("${actions}" "post;auth" "tiktok's actions")
  else()
    expect_equal("${actions}" "post;check;auth" "instagram's actions")
  endif()
endforeach()
list(SORT seen)
expect_equal("${seen}" "instagram;tiktok" "the out-of-tree plugins listed")

# One publication through each, its bytes checked at the fake by the host tests' own test.
foreach(check "${TIKTOK_TEST}|TikTokHost.PostsARealShortOnceWithItsBytes"
              "${INSTAGRAM_TEST}|InstagramHost.PublishesAShortByResumableUpload")
  string(REPLACE "|" ";" check "${check}")
  list(GET check 0 program)
  list(GET check 1 name)
  run(publish 0 ${CMAKE_COMMAND} -E env AUTOMUSE_TEST_PLUGIN_DIR=${plugin_dir} ${program}
      --gtest_filter=${name})
  expect_contains("${publish_OUT}" "[  PASSED  ] 1 test." "${name} against ${plugin_dir}")
endforeach()

message(STATUS "tiktok and instagram built against ${prefix} alone, loaded from ${plugin_dir}, "
               "each published once")
