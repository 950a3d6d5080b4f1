# SPDX-License-Identifier: BSD-3-Clause
# Configures the misuse/ project for one case and checks the outcome, in the
# way of CMake's RunCMake tests: misuse/<CASE>-result.txt holds the expected
# exit code ("0"; without the file configuring must fail), and
# misuse/<CASE>-stderr.txt a regex that stderr must match. Both stderr and
# the regex are compared with each run of whitespace as one space, since
# CMake wraps its messages to the terminal width.
#
#   cmake -DCASE=<case> -DBINARY_DIR=<scratch> -DCTESTD_DIR=<ctestd build>
#         -DGENERATOR=<gen> [-DMAKE_PROGRAM=<prog>] [-DCXX_COMPILER=<cxx>]
#         -P check_configure.cmake

cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/test_helpers.cmake)
module_test_require(CASE BINARY_DIR CTESTD_DIR GENERATOR)

set(source_dir "${CMAKE_CURRENT_LIST_DIR}/misuse")
if(NOT EXISTS "${source_dir}/${CASE}.cmake")
  message(FATAL_ERROR "check_configure: no case '${CASE}' (${source_dir}/${CASE}.cmake)")
endif()

# A fresh tree, so that nothing comes from an earlier run's cache.
file(REMOVE_RECURSE "${BINARY_DIR}")
set(options -G "${GENERATOR}" "-Dctestd_DIR=${CTESTD_DIR}" "-DMISUSE_CASE=${CASE}")
if(MAKE_PROGRAM)
  list(APPEND options "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
if(CXX_COMPILER)
  list(APPEND options "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
module_test_run("configure misuse/ with ${CASE}.cmake"
  COMMAND "${CMAKE_COMMAND}" -S "${source_dir}" -B "${BINARY_DIR}" ${options}
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE error)
set(log "exit code: ${result}\n-- stdout --\n${output}\n-- stderr --\n${error}")

if(EXISTS "${source_dir}/${CASE}-result.txt")
  file(STRINGS "${source_dir}/${CASE}-result.txt" expected_result LIMIT_COUNT 1)
  if(NOT result STREQUAL expected_result)
    message(FATAL_ERROR "check_configure: ${CASE}: configuring exited with ${result}, expected ${expected_result}\n${log}")
  endif()
elseif(result STREQUAL "0")
  message(FATAL_ERROR "check_configure: ${CASE}: configuring succeeded, but should have failed\n${log}")
endif()

file(READ "${source_dir}/${CASE}-stderr.txt" expected_stderr)
module_test_flatten(expected_stderr "${expected_stderr}")
module_test_flatten(flat_error "${error}")
if(NOT flat_error MATCHES "${expected_stderr}")
  message(FATAL_ERROR "check_configure: ${CASE}: stderr does not match ${CASE}-stderr.txt\n"
    "-- expected (regex) --\n${expected_stderr}\n${log}")
endif()
message(STATUS "${CASE}: configure result ${result}, stderr as expected")
