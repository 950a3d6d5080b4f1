# SPDX-License-Identifier: BSD-3-Clause
# module.install: installs ctestd's build tree into a fresh prefix, checks
# that the module and its companion script are installed next to the
# package config, then configures and builds project/ with
# CMAKE_PREFIX_PATH=<prefix> (so it can only have found the install) and
# checks its registration (check_registration.cmake) with the installed
# ctestd, and that the generated files use the installed script.
#
#   cmake -DCTESTD_BINARY_DIR=<ctestd build> -DINSTALL_BINDIR=<bin> -DINSTALL_LIBDIR=<lib>
#         -DWORK_DIR=<scratch> -DCTEST_COMMAND=<ctest> -DGENERATOR=<gen>
#         [-DMAKE_PROGRAM=<prog>] [-DCXX_COMPILER=<cxx>] -P install_and_register.cmake

cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/test_helpers.cmake)
module_test_require(CTESTD_BINARY_DIR INSTALL_BINDIR INSTALL_LIBDIR WORK_DIR CTEST_COMMAND GENERATOR)

set(prefix "${WORK_DIR}/prefix")
set(build_dir "${WORK_DIR}/project")
set(package_dir "${prefix}/${INSTALL_LIBDIR}/cmake/ctestd")
file(REMOVE_RECURSE "${WORK_DIR}")

module_test_run("install ctestd into ${prefix}"
  COMMAND "${CMAKE_COMMAND}" --install "${CTESTD_BINARY_DIR}" --prefix "${prefix}")
foreach(file IN ITEMS ctestd.cmake CtestdAddTests.cmake)
  if(NOT EXISTS "${package_dir}/${file}")
    message(FATAL_ERROR "install_and_register: ${file} was not installed into ${package_dir}")
  endif()
endforeach()

set(options -G "${GENERATOR}" "-DCMAKE_PREFIX_PATH=${prefix}" -DMINI_DISCOVERY_MODE=POST_BUILD)
if(MAKE_PROGRAM)
  list(APPEND options "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
if(CXX_COMPILER)
  list(APPEND options "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
module_test_run("configure project/ with CMAKE_PREFIX_PATH=${prefix}"
  COMMAND "${CMAKE_COMMAND}" -S "${CMAKE_CURRENT_LIST_DIR}/project" -B "${build_dir}" ${options})
module_test_run("build project/" COMMAND "${CMAKE_COMMAND}" --build "${build_dir}")

module_test_run("check the registration with the installed ctestd"
  COMMAND "${CMAKE_COMMAND}"
    "-DBUILD_DIR=${build_dir}"
    "-DEXPECTED=${CMAKE_CURRENT_LIST_DIR}/expected/registration.txt"
    "-DCTEST_COMMAND=${CTEST_COMMAND}"
    "-DCTESTD=${prefix}/${INSTALL_BINDIR}/ctestd"
    -P "${CMAKE_CURRENT_LIST_DIR}/check_registration.cmake")

# The second call is PRE_TEST: its include file runs the script at test
# time, and must name the installed one. Its files are named by a hash of
# its arguments; it is the include file that says PRE_TEST's way (it tests
# whether the executable is newer than the list).
file(GLOB include_files "${build_dir}/mini_tests[[]*[]]_ctestd_include.cmake")
set(include_file "")
foreach(candidate IN LISTS include_files)
  file(READ "${candidate}" text)
  if(text MATCHES "IS_NEWER_THAN")
    set(include_file "${text}")
  endif()
endforeach()
string(FIND "${include_file}" "include([=[${package_dir}/CtestdAddTests.cmake]=])" found)
if(found EQUAL -1)
  message(FATAL_ERROR "install_and_register: the PRE_TEST include file does not include the installed "
    "${package_dir}/CtestdAddTests.cmake:\n${include_file}")
endif()
