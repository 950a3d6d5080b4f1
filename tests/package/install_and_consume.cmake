# SPDX-License-Identifier: BSD-3-Clause
# package.install: installs ctestd's build tree into a fresh prefix with
# `cmake --install`, checks what landed there and that the installed ctestd
# runs, then configures, builds and tests consumer/ with
# CMAKE_PREFIX_PATH=<prefix>, so that it can only have found the install.
#
#   cmake -DCTESTD_BINARY_DIR=<ctestd build> -DCTESTD_VERSION=<x.y.z>
#         -DINSTALL_BINDIR=<bin> -DINSTALL_LIBDIR=<lib> -DWORK_DIR=<scratch>
#         -DGENERATOR=<gen> [-DMAKE_PROGRAM=<prog>] [-DCXX_COMPILER=<cxx>]
#         -DCTEST_COMMAND=<ctest> -P install_and_consume.cmake

cmake_minimum_required(VERSION 3.16)

foreach(var IN ITEMS CTESTD_BINARY_DIR CTESTD_VERSION INSTALL_BINDIR INSTALL_LIBDIR WORK_DIR GENERATOR
                     CTEST_COMMAND)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "install_and_consume: ${var} is not set")
  endif()
endforeach()

# Runs one step and stops the test with everything it printed if it fails.
# The step's stdout goes to the variable named by OUTPUT_VARIABLE, if given.
function(run_step name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "OUTPUT_VARIABLE;WORKING_DIRECTORY" "COMMAND")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "run_step: unknown arguments '${arg_UNPARSED_ARGUMENTS}'")
  endif()
  message(STATUS "${name}")
  if(NOT arg_WORKING_DIRECTORY)
    set(arg_WORKING_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}")
  endif()
  execute_process(COMMAND ${arg_COMMAND}
    WORKING_DIRECTORY "${arg_WORKING_DIRECTORY}"
    RESULT_VARIABLE result
    OUTPUT_VARIABLE output
    ERROR_VARIABLE error)
  if(NOT result EQUAL 0)
    string(REPLACE ";" " " command "${arg_COMMAND}")
    message(FATAL_ERROR "install_and_consume: ${name} failed (exit code: ${result})\n"
      "command: ${command}\n-- stdout --\n${output}\n-- stderr --\n${error}")
  endif()
  if(arg_OUTPUT_VARIABLE)
    set(${arg_OUTPUT_VARIABLE} "${output}" PARENT_SCOPE)
  endif()
endfunction()

set(prefix "${WORK_DIR}/prefix")
set(consumer_dir "${WORK_DIR}/consumer")
set(installed_ctestd "${prefix}/${INSTALL_BINDIR}/ctestd")
# A fresh prefix: files left by an earlier run must not hide a missing one.
file(REMOVE_RECURSE "${WORK_DIR}")

run_step("install ctestd into ${prefix}"
  COMMAND "${CMAKE_COMMAND}" --install "${CTESTD_BINARY_DIR}" --prefix "${prefix}")

# The executable and its package files, and nothing else: no static library,
# no headers (ctestd_core is not part of the package). The pattern leaves
# room for the module and its scripts, installed next to the config, and the
# light client's source, which the module builds in the user's project.
file(GLOB_RECURSE installed LIST_DIRECTORIES false RELATIVE "${prefix}" "${prefix}/*")
foreach(file IN ITEMS "${INSTALL_BINDIR}/ctestd" "${INSTALL_LIBDIR}/cmake/ctestd/ctestdConfig.cmake"
                      "${INSTALL_LIBDIR}/cmake/ctestd/ctestdConfigVersion.cmake"
                      "${INSTALL_LIBDIR}/cmake/ctestd/ctestdTargets.cmake")
  if(NOT file IN_LIST installed)
    message(FATAL_ERROR "install_and_consume: '${file}' was not installed; the prefix holds: ${installed}")
  endif()
endforeach()
foreach(file IN LISTS installed)
  if(NOT file STREQUAL "${INSTALL_BINDIR}/ctestd"
     AND NOT file STREQUAL "${INSTALL_LIBDIR}/cmake/ctestd/ctestd_case_client.c"
     AND NOT file MATCHES "^${INSTALL_LIBDIR}/cmake/ctestd/[Cc]testd[A-Za-z-]*\\.cmake$")
    message(FATAL_ERROR "install_and_consume: unexpected file installed: '${file}'")
  endif()
endforeach()

run_step("run the installed ctestd --version"
  COMMAND "${installed_ctestd}" --version
  OUTPUT_VARIABLE version_output)
if(NOT version_output STREQUAL "ctestd ${CTESTD_VERSION}\n")
  message(FATAL_ERROR "install_and_consume: '${installed_ctestd} --version' printed '${version_output}', "
    "expected 'ctestd ${CTESTD_VERSION}'")
endif()

set(configure_args -G "${GENERATOR}" "-DCMAKE_PREFIX_PATH=${prefix}")
if(MAKE_PROGRAM)
  list(APPEND configure_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
if(CXX_COMPILER)
  list(APPEND configure_args "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
run_step("configure the consumer with CMAKE_PREFIX_PATH=${prefix}"
  COMMAND "${CMAKE_COMMAND}" -S "${CMAKE_CURRENT_LIST_DIR}/consumer" -B "${consumer_dir}" ${configure_args}
  OUTPUT_VARIABLE configure_output)
# The consumer prints what it found; it must be the install, not a build tree
# that some other search path (or the package registry) also knows about.
string(FIND "${configure_output}" "-- ctestd ${CTESTD_VERSION}: ${installed_ctestd}\n" found_at)
if(found_at EQUAL -1)
  message(FATAL_ERROR "install_and_consume: the consumer did not find ctestd ${CTESTD_VERSION} at "
    "'${installed_ctestd}'\n-- configure output --\n${configure_output}")
endif()

run_step("build the consumer" COMMAND "${CMAKE_COMMAND}" --build "${consumer_dir}")
# In the tree rather than with --test-dir, which needs CTest 3.20.
run_step("test the consumer"
  COMMAND "${CTEST_COMMAND}" --output-on-failure --no-tests=error
  WORKING_DIRECTORY "${consumer_dir}")
