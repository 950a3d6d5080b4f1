# SPDX-License-Identifier: BSD-3-Clause
# Configures version/ with find_package(ctestd <REQUESTED_VERSION> REQUIRED)
# against ctestd's build tree and checks that the request is accepted, or
# rejected at configure time with a message naming both versions.
#
#   cmake -DREQUESTED_VERSION=99 -DEXPECT=reject -DCTESTD_DIR=<ctestd build>
#         -DCTESTD_VERSION=<x.y.z> -DBINARY_DIR=<scratch> -DGENERATOR=<gen>
#         [-DMAKE_PROGRAM=<prog>] -P check_version_request.cmake

cmake_minimum_required(VERSION 3.16)

foreach(var IN ITEMS REQUESTED_VERSION EXPECT CTESTD_DIR CTESTD_VERSION BINARY_DIR GENERATOR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_version_request: ${var} is not set")
  endif()
endforeach()
if(NOT EXPECT MATCHES "^(accept|reject)$")
  message(FATAL_ERROR "check_version_request: EXPECT must be accept or reject, not '${EXPECT}'")
endif()

# A fresh tree, so that the result never comes from an earlier run's cache.
file(REMOVE_RECURSE "${BINARY_DIR}")
set(make_program_arg)
if(MAKE_PROGRAM)
  set(make_program_arg "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
execute_process(
  COMMAND "${CMAKE_COMMAND}" -S "${CMAKE_CURRENT_LIST_DIR}/version" -B "${BINARY_DIR}"
          -G "${GENERATOR}" ${make_program_arg}
          "-Dctestd_DIR=${CTESTD_DIR}" "-DCTESTD_REQUESTED_VERSION=${REQUESTED_VERSION}"
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE error)
set(log "exit code: ${result}\n-- stdout --\n${output}\n-- stderr --\n${error}")

if(EXPECT STREQUAL "accept")
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "check_version_request: find_package(ctestd ${REQUESTED_VERSION}) "
      "was rejected, but ctestd ${CTESTD_VERSION} should satisfy it\n${log}")
  endif()
  return()
endif()

if(result EQUAL 0)
  message(FATAL_ERROR "check_version_request: find_package(ctestd ${REQUESTED_VERSION}) "
    "was accepted by ctestd ${CTESTD_VERSION}\n${log}")
endif()
# CMake wraps its error text to the terminal width; compare it unwrapped.
string(REGEX REPLACE "[ \t\r\n]+" " " flat_error "${error}")
string(REPLACE "." "\\." version_regex "${CTESTD_VERSION}")
foreach(expected IN ITEMS "requested version \"${REQUESTED_VERSION}\"" "version: ${version_regex}")
  if(NOT flat_error MATCHES "${expected}")
    message(FATAL_ERROR "check_version_request: the configure error does not match '${expected}'\n${log}")
  endif()
endforeach()
