# automuse_add_plugin(<name> <sources>...): a plugin shared library (lib<name>.so) that links
# only the SDK and exports nothing but its entry symbol (everything else hidden).
function(automuse_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE automuse::sdk)
  set_target_properties(${name} PROPERTIES
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(NOT APPLE)
    # Refuse to link a plugin with unresolved symbols: they would only fail at load time.
    target_link_options(${name} PRIVATE -Wl,--no-undefined)
  endif()
endfunction()
