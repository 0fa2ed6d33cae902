# tests/layering/expect_case.cmake: runs a checker over a saved case and compares.
#   cmake -DCHECKER=<program> -DCASE_DIR=<cases/NAME> -P expect_case.cmake
# CASE_DIR/args.txt: the checker's arguments, one a line (@CASE_DIR@ stands for the folder).
# CASE_DIR/expected.txt: "exit N" on the first line, then lines the output must contain.
cmake_minimum_required(VERSION 3.25)
file(STRINGS ${CASE_DIR}/args.txt arg_lines)
set(args)
foreach(line IN LISTS arg_lines)
  string(REPLACE "@CASE_DIR@" "${CASE_DIR}" line "${line}")
  list(APPEND args "${line}")
endforeach()
execute_process(COMMAND ${CHECKER} ${args} RESULT_VARIABLE exit_code OUTPUT_VARIABLE out
                ERROR_VARIABLE err)
message("${out}${err}")

file(STRINGS ${CASE_DIR}/expected.txt expected)
list(POP_FRONT expected exit_line)
string(REGEX REPLACE "^exit " "" expected_exit "${exit_line}")
if(NOT exit_code STREQUAL expected_exit)
  message(FATAL_ERROR "${CASE_DIR}: exit ${exit_code}, expected ${expected_exit}")
endif()
foreach(line IN LISTS expected)
  string(FIND "${out}${err}" "${line}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${CASE_DIR}: the output lacks the line\n  ${line}")
  endif()
endforeach()
