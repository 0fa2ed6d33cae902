# automuse_add_plugin(<name> <sources>...): a plugin shared library (lib<name>.so) that links
# only the SDK and exports nothing but its entry symbol (everything else hidden).
function(automuse_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE automuse::sdk)
  set_target_properties(${name} PROPERTIES
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # g++ marks some inline statics (from <coroutine>, <charconv>...) STB_GNU_UNIQUE; glibc then
  # never unloads the library, so a plugin could not be unloaded and reloaded. Plain weak
  # symbols are right for a library loaded RTLD_LOCAL.
  target_compile_options(${name} PRIVATE $<$<COMPILE_LANG_AND_ID:CXX,GNU>:-fno-gnu-unique>)
  if(NOT APPLE)
    # Refuse to link a plugin with unresolved symbols: they would only fail at load time.
    target_link_options(${name} PRIVATE -Wl,--no-undefined)
    # Export the entry symbol alone: visibility presets cannot hide the weak inline functions
    # that the standard library's headers declare with default visibility.
    set(exports ${CMAKE_CURRENT_BINARY_DIR}/${name}.exports)
    file(CONFIGURE OUTPUT ${exports}
         CONTENT "{\n  global: automuse_plugin_entry;\n  local: *;\n};\n")
    target_link_options(${name} PRIVATE -Wl,--version-script=${exports})
    set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS ${exports})
  endif()
endfunction()
