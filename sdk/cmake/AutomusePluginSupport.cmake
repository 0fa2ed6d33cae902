# automuse_plugin_support_library(<target> SOURCE_DIR <dir> INCLUDE_DIR <dir>): plugin_support
# (docs/plugin-development.md, "plugin_support: the bundled plugins' helpers") as a static
# library of the calling project, compiled from the .cpp files in SOURCE_DIR with that project's
# own compiler, flags and Boost, so that nothing compiled elsewhere is linked into a plugin:
# position-independent code with hidden symbols, for a plugin's module. The project must enable
# C++ and have found Boost.JSON (Boost::json).
function(automuse_plugin_support_library target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "SOURCE_DIR;INCLUDE_DIR" "")
  file(GLOB sources CONFIGURE_DEPENDS ${arg_SOURCE_DIR}/*.cpp)
  if(NOT sources)
    message(FATAL_ERROR "automuse_plugin_support_library: no sources in ${arg_SOURCE_DIR}")
  endif()
  add_library(${target} STATIC ${sources})
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_include_directories(${target} PUBLIC ${arg_INCLUDE_DIR})
  target_link_libraries(${target} PUBLIC automuse::sdk Boost::json)
  # As for a plugin (AutomusePlugin.cmake): no STB_GNU_UNIQUE symbols, so it can be unloaded.
  target_compile_options(${target} PRIVATE $<$<COMPILE_LANG_AND_ID:CXX,GNU>:-fno-gnu-unique>)
endfunction()
