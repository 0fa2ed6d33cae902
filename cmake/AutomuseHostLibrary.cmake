# automuse_host_library(NAME source... [PUBLIC target...] [PRIVATE target...]): one of the
# host's static libraries, automuse_NAME with its alias automuse::NAME, built with the
# project's warnings. Its users include its headers as "<folder>/<file>.hpp" from host/.
function(automuse_host_library name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "PUBLIC;PRIVATE")
  add_library(automuse_${name} STATIC ${arg_UNPARSED_ARGUMENTS})
  add_library(automuse::${name} ALIAS automuse_${name})
  target_include_directories(automuse_${name} PUBLIC ${PROJECT_SOURCE_DIR}/host)
  target_link_libraries(automuse_${name} PUBLIC ${arg_PUBLIC} PRIVATE ${arg_PRIVATE})
  automuse_warnings(automuse_${name})
endfunction()
