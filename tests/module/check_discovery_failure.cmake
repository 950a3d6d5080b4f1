# SPDX-License-Identifier: BSD-3-Clause
# A listing that fails never leaves a test list that passes: configures and
# builds broken/ for one case, then checks the build's outcome, that the
# registered tests are exactly <target>_DISCOVERY_FAILED, and that running <target>_DISCOVERY_FAILED fails with the reason.
# None of this needs ctestd's daemon.
#
#   cmake -DCASE=not_gtest_post_build|not_gtest_pre_test|slow_listing
#         -DBINARY_DIR=<scratch> -DCTESTD_DIR=<ctestd build> -DCTEST_COMMAND=<ctest>
#         -DGENERATOR=<gen> [-DMAKE_PROGRAM=<prog>] [-DCXX_COMPILER=<cxx>]
#         -P check_discovery_failure.cmake

cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/test_helpers.cmake)
module_test_require(CASE BINARY_DIR CTESTD_DIR CTEST_COMMAND GENERATOR)

if(CASE STREQUAL "not_gtest_post_build")
  set(target not_gtest)
  set(mode POST_BUILD)
  set(reason ".* \\(exit code: 8\\) Command: [^ ]*ctestd list --json --framework gtest [^ ]*/not_gtest ")
elseif(CASE STREQUAL "not_gtest_pre_test")
  set(target not_gtest)
  set(mode PRE_TEST)
  set(reason ".* \\(exit code: 8\\) Command: [^ ]*ctestd list --json --framework gtest [^ ]*/not_gtest ")
elseif(CASE STREQUAL "slow_listing")
  set(target slow_listing)
  set(mode POST_BUILD)
  set(reason "listing the cases took longer than DISCOVERY_TIMEOUT \\(2 s\\) Command: ")
else()
  message(FATAL_ERROR "check_discovery_failure: unknown CASE '${CASE}'")
endif()
set(message_regex "ctestd_discover_tests\\(${target}\\): cannot list the cases of [^ ]*/${target} ${reason}")

file(REMOVE_RECURSE "${BINARY_DIR}")
set(options -G "${GENERATOR}" "-Dctestd_DIR=${CTESTD_DIR}" "-DBROKEN_CASE=${CASE}")
if(MAKE_PROGRAM)
  list(APPEND options "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
if(CXX_COMPILER)
  list(APPEND options "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
module_test_run("configure broken/ for ${CASE}"
  COMMAND "${CMAKE_COMMAND}" -S "${CMAKE_CURRENT_LIST_DIR}/broken" -B "${BINARY_DIR}" ${options})

string(TIMESTAMP started "%s" UTC)
if(mode STREQUAL "POST_BUILD")
  module_test_run("build: listing ${target}'s cases after the link must fail the build"
    COMMAND "${CMAKE_COMMAND}" --build "${BINARY_DIR}" --target ${target}
    EXPECT_FAILURE
    OUTPUT_VARIABLE output
    ERROR_VARIABLE error)
  module_test_flatten(flat "${output} ${error}")
  module_test_assert_matches("the failed build's output" "${flat}" "${message_regex}")
else()
  module_test_run("build: PRE_TEST lists nothing at build time, so the build succeeds"
    COMMAND "${CMAKE_COMMAND}" --build "${BINARY_DIR}" --target ${target})
endif()
string(TIMESTAMP finished "%s" UTC)
math(EXPR seconds "${finished} - ${started}")
if(seconds GREATER 30)
  message(SEND_ERROR "the build took ${seconds} s; DISCOVERY_TIMEOUT should have stopped the listing after 2 s")
endif()

# PRE_TEST lists the cases while ctest reads its files (and, as the listing
# failed, again every time): twice the same failing test, and a warning.
set(rounds 1)
if(mode STREQUAL "PRE_TEST")
  set(rounds 2)
endif()
foreach(round RANGE 1 ${rounds})
  module_test_run("ctest -N (${round})"
    COMMAND "${CTEST_COMMAND}" -N
    WORKING_DIRECTORY "${BINARY_DIR}"
    OUTPUT_VARIABLE output
    ERROR_VARIABLE error)
  string(REGEX MATCHALL "Test +#[0-9]+: [^\n]*" listed "${output}")
  list(TRANSFORM listed REPLACE "^Test +#[0-9]+: " "")
  module_test_assert_equal("the registered tests (${round})" "${listed}"
    "${target}_DISCOVERY_FAILED")
  if(mode STREQUAL "PRE_TEST")
    module_test_flatten(flat "${error}")
    module_test_assert_matches("ctest's stderr (${round})" "${flat}" "^CMake Warning at [^ ]*CtestdAddTests\\.cmake:[0-9]+ \\(message\\): ${message_regex}")
  endif()
endforeach()

module_test_run("ctest -R ${target}_DISCOVERY_FAILED must fail with the reason"
  COMMAND "${CTEST_COMMAND}" -R "^${target}_DISCOVERY_FAILED$" --output-on-failure
  WORKING_DIRECTORY "${BINARY_DIR}"
  EXPECT_FAILURE
  OUTPUT_VARIABLE output)
module_test_flatten(flat "${output}")
module_test_assert_matches("the failing test's output" "${flat}"
  "Test #1: ${target}_DISCOVERY_FAILED \\.+\\*\\*\\*Failed .* ${message_regex}.* 0% tests passed, 1 tests failed out of 1 ")
