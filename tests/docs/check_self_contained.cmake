# tests/docs/check_self_contained.cmake — run with
#   cmake -DSOURCE_DIR=<repository> -P check_self_contained.cmake
# Fails, naming each file and what is wrong, when
# - a file cites the protocol notes that used to live outside the repository, or a path outside
#   it (an absolute path under the machine's shared work folder, or a relative one climbing into
#   a sibling "shared" folder): everything the code relies on is described in docs/;
# - a Markdown link to another .md file of the repository points to a missing file or to a
#   heading that file does not have;
# - a citation "docs/protocols/<page>.md" (in code comments too) names a missing file, or
#   'docs/protocols/<page>.md, "Section"' a section that file does not have.
# - a protocol page (docs/protocols/*.md) names a source path in backquotes (`host/llm/`,
#   `tests/support/x/fake_x.*`) that matches nothing: the pages say where clients and fakes live.
# The files are those git tracks plus new ones it does not ignore (so build folders are out);
# without git, every file under SOURCE_DIR outside build*/ and .git.
# The patterns below are written so that this file does not match them itself.
cmake_minimum_required(VERSION 3.20)
if(NOT SOURCE_DIR)
  message(FATAL_ERROR "usage: cmake -DSOURCE_DIR=<repository> -P check_self_contained.cmake")
endif()
get_filename_component(root "${SOURCE_DIR}" REALPATH)

set(outside_pattern "PROTOCOLS[.]md|(^|[^A-Za-z0-9_.~-])/wor[k]/|[.][.]/shared")
set(binary_pattern "[.](png|jpe?g|gif|mp4|wav|mp3|ttf|otf|ico|gz|zip|so|a|o)$")

# The files to check, relative to root.
function(list_files out)
  find_program(git_exe git)
  if(git_exe)
    execute_process(
      COMMAND "${git_exe}" -c core.quotePath=false ls-files --cached --others --exclude-standard
      WORKING_DIRECTORY "${root}"
      RESULT_VARIABLE rc
      OUTPUT_VARIABLE listing
      ERROR_QUIET)
  endif()
  if(git_exe AND rc EQUAL 0)
    string(REPLACE "\n" ";" files "${listing}")
  else()
    file(GLOB_RECURSE files RELATIVE "${root}" "${root}/*")
    list(FILTER files EXCLUDE REGEX "^(build[^/]*|[.]git)/")
  endif()
  list(FILTER files EXCLUDE REGEX "^$")
  list(FILTER files EXCLUDE REGEX "^build[^/]*/")
  set(${out} "${files}" PARENT_SCOPE)
endfunction()

# GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens.
function(heading_slug text out)
  string(TOLOWER "${text}" s)
  string(REGEX REPLACE "[^a-z0-9 _-]" "" s "${s}")
  string(REPLACE " " "-" s "${s}")
  set(${out} "${s}" PARENT_SCOPE)
endfunction()

# The headings of a Markdown file (their text), outside fenced code blocks.
function(read_headings file out)
  # CMake does not split a list at a ';' inside square brackets: drop them first.
  file(READ "${file}" text)
  string(REPLACE "[" "" text "${text}")
  string(REPLACE "]" "" text "${text}")
  string(REPLACE ";" "," text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  set(headings "")
  set(fenced FALSE)
  foreach(line IN LISTS lines)
    if(line MATCHES "^```")
      if(fenced)
        set(fenced FALSE)
      else()
        set(fenced TRUE)
      endif()
    elseif(NOT fenced AND line MATCHES "^#+[ \t]+(.*[^ \t#])[ \t#]*$")
      list(APPEND headings "${CMAKE_MATCH_1}")
    endif()
  endforeach()
  set(${out} "${headings}" PARENT_SCOPE)
endfunction()

set(problems "")
macro(problem text)
  string(APPEND problems "  ${text}\n")
endmacro()

list_files(files)
list(LENGTH files file_count)
foreach(rel IN LISTS files)
  set(path "${root}/${rel}")
  if(NOT EXISTS "${path}" OR IS_DIRECTORY "${path}" OR rel MATCHES "${binary_pattern}")
    continue()
  endif()

  file(STRINGS "${path}" bad ENCODING UTF-8 REGEX "${outside_pattern}")
  foreach(line IN LISTS bad)
    string(STRIP "${line}" line)
    problem("${rel}: refers to something outside the repository: ${line}")
  endforeach()

  # Citations of the protocol pages, with or without a quoted section.
  file(STRINGS "${path}" cites ENCODING UTF-8 REGEX "docs/protocols/[A-Za-z0-9_.-]+[.]md")
  foreach(line IN LISTS cites)
    string(REGEX MATCHALL "docs/protocols/[A-Za-z0-9_.-]+[.]md(, \"[^\"]+\")?" found "${line}")
    foreach(cite IN LISTS found)
      string(REGEX MATCH "^docs/protocols/[A-Za-z0-9_.-]+[.]md" page "${cite}")
      if(NOT EXISTS "${root}/${page}")
        problem("${rel}: cites ${page}, which does not exist")
      elseif(cite MATCHES ", \"([^\"]+)\"$")
        set(section "${CMAKE_MATCH_1}")
        read_headings("${root}/${page}" headings)
        if(NOT section IN_LIST headings)
          problem("${rel}: cites section \"${section}\" of ${page}, which has no such heading")
        endif()
      endif()
    endforeach()
  endforeach()

  # The source paths a protocol page names.
  if(rel MATCHES "^docs/protocols/[^/]+[.]md$")
    file(STRINGS "${path}" named ENCODING UTF-8 REGEX "`(host|plugins|render|sdk|tests|bench)/")
    foreach(line IN LISTS named)
      string(REGEX MATCHALL "`(host|plugins|render|sdk|tests|bench)/[^` ]*`" quoted "${line}")
      foreach(q IN LISTS quoted)
        string(REGEX REPLACE "^`(.*)`$" "\\1" source "${q}")
        file(GLOB matches "${root}/${source}")
        if(NOT matches AND NOT EXISTS "${root}/${source}")
          problem("${rel}: names ${source}, which matches no file")
        endif()
      endforeach()
    endforeach()
  endif()

  # Links of Markdown files to other Markdown files of the repository.
  if(rel MATCHES "[.]md$")
    file(READ "${path}" text)
    # As above: no square brackets may reach a CMake list. "](" marks a link's target.
    string(REPLACE ";" "," text "${text}")
    string(REPLACE "](" "<<link>>" text "${text}")
    string(REPLACE "[" "" text "${text}")
    string(REPLACE "]" "" text "${text}")
    string(REGEX MATCHALL "<<link>>[^) \t\n]+\\)" links "${text}")
    get_filename_component(dir "${path}" DIRECTORY)
    foreach(link IN LISTS links)
      string(REGEX REPLACE "^<<link>>(.*)\\)$" "\\1" target "${link}")
      if(target MATCHES "^[a-zA-Z][a-zA-Z0-9+.-]*:" OR target MATCHES "^#")
        continue()  # a URL, or an anchor in the same file
      endif()
      set(anchor "")
      if(target MATCHES "^([^#]*)#(.*)$")
        set(target "${CMAKE_MATCH_1}")
        set(anchor "${CMAKE_MATCH_2}")
      endif()
      if(NOT target MATCHES "[.]md$")
        if(NOT EXISTS "${dir}/${target}")
          problem("${rel}: links to ${target}, which does not exist")
        endif()
        continue()
      endif()
      get_filename_component(resolved "${dir}/${target}" ABSOLUTE)
      if(NOT EXISTS "${resolved}")
        problem("${rel}: links to ${target}, which does not exist")
      elseif(anchor)
        read_headings("${resolved}" headings)
        set(slugs "")
        foreach(h IN LISTS headings)
          heading_slug("${h}" slug)
          list(APPEND slugs "${slug}")
        endforeach()
        if(NOT anchor IN_LIST slugs)
          problem("${rel}: links to ${target}#${anchor}, but ${target} has no such heading")
        endif()
      endif()
    endforeach()
  endif()
endforeach()

if(problems)
  message(FATAL_ERROR "The repository is not self-contained:\n${problems}")
endif()
message(STATUS "checked ${file_count} files: self-contained, every document link resolves")
