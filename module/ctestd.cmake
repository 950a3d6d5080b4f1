# SPDX-License-Identifier: BSD-3-Clause

#[=======================================================================[.rst:
ctestd
------

Register each case of a test executable as its own CTest test, run by ctestd.

``find_package(ctestd)`` includes this module, so a project needs nothing
else::

  find_package(ctestd REQUIRED)
  ctestd_discover_tests(my_tests)

It needs CMake 3.25 or newer (the package itself works with 3.16).

Like :command:`gtest_discover_tests`, this lists the cases of a test
executable after it is built and registers one CTest test per case, so
``ctest -R``, labels, ``--rerun-failed``, ``--output-junit`` and IDE test
explorers see cases.  The difference is the command each test runs: not the
test executable with a filter for one case, but the ctestd client
(``ctestd case``).  The build tree's ctestd daemon runs the case's whole
fixture group (a gtest suite, by default) once, in one worker process, and
answers every case of the group from that run, so each ``SetUpTestSuite``
runs once per ``ctest`` invocation instead of once per case.

The daemon runs only what the ``ctest`` invocation selected: the clients of
one invocation share its ctest process, whose command line the daemon reads
to ask that same ctest, with the same selection options, which tests it runs
(``--show-only=json-v1``).  So ``ctest -R <one case>`` runs that case (with
its group's fixtures) and nothing else, and ``-L``, ``-E``, ``-I`` and
``--rerun-failed`` run their selection.  A case asked for again in the same
invocation (``ctest --repeat``) runs again, on its own.  Results and runs
never outlive their invocation, and a case is answered only by a run of the
executable file as it is when its client asks (device, inode, size and
modification time), so a rebuilt executable runs afresh.  No extra CTest
tests are registered for this.  A ctest command line ctestd cannot repeat
(a dashboard script, ``-D``, ``--preset``, an option it does not know) runs
each case on its own: exact, only slower.

.. command:: ctestd_discover_tests

  Register the cases of a test executable with CTest, to be run by ctestd::

    ctestd_discover_tests(target
                          [FRAMEWORK <auto|gtest|qtest|catch2|doctest|boost|plain>]
                          [GROUP_BY <case|suite|executable>]
                          [TEST_PREFIX prefix]
                          [TEST_SUFFIX suffix]
                          [EXTRA_ARGS arg1...]
                          [WORKING_DIRECTORY dir]
                          [TIMEOUT seconds]
                          [LABELS label1...]
                          [PROPERTIES name1 value1...]
                          [TEST_LIST var]
                          [DISCOVERY_MODE <POST_BUILD|PRE_TEST>]
                          [DISCOVERY_TIMEOUT seconds]
    )

  .. versionadded:: 0.1

  The cases are listed with ``ctestd list --json`` (at build time or just
  before the tests run, see ``DISCOVERY_MODE``), so CMake need not run again
  when cases are added or removed.  Each case that is not disabled becomes a
  test named ``<prefix><case name><suffix>`` whose command is::

    <target>_ctestd_case case --build-dir <top-level build dir> --executable <target file>
                --framework <framework> --group-by <mode> --group <group>
                --selector <selector> [--launcher <command>] [--working-directory <dir>]
                [--timeout <seconds>] [--extra-arg <arg>]...

  with the properties ``SKIP_RETURN_CODE 77`` (how ``ctestd case`` reports a
  skipped case) and, where the framework
  tells where a case is defined (all but Qt Test), ``DEF_SOURCE_LINE
  <file>:<line>`` for IDEs' source links, plus those the options below add.
  Case names are the ones :command:`gtest_discover_tests` gives
  (``Suite.Case``, ``Typed.Zero<int>``, ``Nums/P.Even/2``), so moving from it
  keeps your test names.  A disabled case (gtest's ``DISABLED_``) is
  registered with the same command (without ``--group``: it belongs to no
  group) and ``DISABLED TRUE``, so that ctest reports it as
  ``Not Run (Disabled)``.

  ``<target>_ctestd_case`` is an executable target that the first call for
  a target adds, built from ``ctestd_case_client.c``, which the package ships
  next to this module (compiled as C, or as C++ when the project has no C,
  without the project's warning flags). It asks the build tree's daemon for
  its case directly, in well under a millisecond of CPU, and hands anything
  else to ``ctestd case`` (the full client, which starts the daemon) by
  exec.  It depends on the test target, so building a test command's first
  word, as VS Code's CMake Tools does before running a test, rebuilds the
  test executable.

  The target's :prop_tgt:`TEST_LAUNCHER` (CMake 3.29 and newer) and
  :prop_tgt:`CROSSCOMPILING_EMULATOR` run the listing and every case, in that
  order before the executable, as :command:`gtest_discover_tests` runs them:
  they become ``--launcher`` of ``ctestd list`` and ``ctestd case``.

  Under a debugger (or with ``CTESTD_DIRECT=1`` in its environment) the
  command runs the case itself: the client execs ``ctestd case``, which
  execs the test executable with that one case selected, so breakpoints in
  the case hit.

  The ctestd program comes from the ``CTESTD_EXECUTABLE`` variable, which
  ``find_package(ctestd)`` sets to the full path of ``ctestd::ctestd``.  It is
  read when ``ctestd_discover_tests()`` is called, so a project may point it
  at another ctestd (a path, or the name of an executable target, which is
  then built before the test executable) between the two calls.

  The options are:

  ``target``
    The test executable: an executable target of this project.  An imported
    executable works too, with ``DISCOVERY_MODE PRE_TEST`` (it is not built
    here, so there is no build step to list its cases after).

  ``FRAMEWORK <auto|gtest|qtest|catch2|doctest|boost|plain>``
    The test framework of the executable, passed to ``ctestd list`` and
    ``ctestd case``.  ``auto`` (the default) lets ctestd tell it from strings
    in the executable's file (without running it); an executable of no known
    framework is ``plain``: one test that passes on exit code 0 and is
    skipped on 77.

  ``GROUP_BY <case|suite|executable>``
    Which cases share a process: the cases of one test suite (the default
    for gtest and Boost.Test), all cases of the executable (the default for
    Qt Test and for Boost.Test with a global fixture: ``initTestCase`` and
    global fixtures run once), or none
    (one process per case, as plain ctest; the default for Catch2 and
    doctest, whose fixtures are per case).  Without it ctestd uses the
    framework's default.

  ``TEST_PREFIX prefix``
    Prepended to the name of each test.  This lets one executable be
    registered twice, e.g. with different ``EXTRA_ARGS``.  Each call's files
    in the binary directory are named after a hash of its arguments; two calls
    with the same arguments for one target are an error.

  ``TEST_SUFFIX suffix``
    Appended to the name of each test.

  ``EXTRA_ARGS arg1...``
    Arguments for the test executable when its cases run (not when they are
    listed); each becomes ``--extra-arg <arg>`` on the ``ctestd case``
    command line.

  ``WORKING_DIRECTORY dir``
    The directory the cases run in, and the one their listing runs in.  A
    relative path is relative to the current binary directory.  It becomes
    both ``--working-directory`` and the test's ``WORKING_DIRECTORY``.
    Without it, the listing runs in the current binary directory and the
    cases where ctestd runs them.

  ``TIMEOUT seconds``
    The time limit of each case: ctestd (``--timeout``) stops a case that
    runs longer, inside its group's run, and reports it ``Timeout`` with its
    output; no other case is blamed.  A case's answer waits for the rest of
    its group, so the CTest test's ``TIMEOUT`` property is this limit times
    the number of cases in its group, plus 30 seconds: ctest kills a client
    only when the whole group overran, never because of time spent behind
    its group mates.

  ``LABELS label1...``
    Labels of every test (``ctest -L``).

  ``PROPERTIES name1 value1...``
    More properties of every registered case (see
    :ref:`Test Properties`), set after the ones above, so they win.
    ``ENVIRONMENT`` reaches the cases through the ``ctestd case`` client,
    which hands its environment and working directory to the daemon: a case
    runs with exactly what it would have under :command:`gtest_discover_tests`,
    even when the daemon was started by an earlier ``ctest``.  ``LABELS``, ``TIMEOUT`` and
    ``WORKING_DIRECTORY`` are options of their own (ctestd must know the
    last two), so they end the ``PROPERTIES`` list: give them outside it.  An
    unpaired name at the end is ignored with an author warning.

  ``TEST_LIST var``
    The name of the variable that holds the list of registered tests
    (default ``<target>_TESTS``).  As with :command:`gtest_discover_tests`
    the variable exists only while CTest reads the test files, for scripts
    added to the :prop_dir:`TEST_INCLUDE_FILES` directory property after
    this call (e.g. to set properties on some of the cases).  A ``;`` in a
    name is escaped (``\;``); names with a square bracket or a trailing
    backslash are left out, since a CMake list cannot hold them.

  ``DISCOVERY_MODE <POST_BUILD|PRE_TEST>``
    When the cases are listed.  ``POST_BUILD`` (the default) lists them
    right after the executable is linked: a listing that fails or times
    out fails the build.  ``PRE_TEST`` lists them when CTest reads its test
    files, whenever the executable is newer than the list (for
    cross-compiling, or executables that need the test environment to
    start); a listing that fails is reported by a test named
    ``<target>_DISCOVERY_FAILED`` that fails with the reason.

    Without it, the mode comes from the ``CMAKE_CTESTD_DISCOVER_TESTS_DISCOVERY_MODE``
    variable, so a project can change it for all its calls.

  ``DISCOVERY_TIMEOUT seconds``
    The time limit for listing the cases (default 60).

  Until the executable is built, the tests of one call are a single
  ``<target>_NOT_BUILT`` test that fails, as with
  :command:`gtest_discover_tests`.  A listing that fails or times out never
  leaves the previous list in place: the call's tests are replaced by
  ``<target>_DISCOVERY_FAILED``, which fails with the reason, until a
  listing succeeds.

  Example:

  .. code-block:: cmake

    find_package(GTest REQUIRED)
    find_package(ctestd REQUIRED)
    enable_testing()

    add_executable(db_tests db_tests.cpp)
    target_link_libraries(db_tests PRIVATE GTest::gtest_main)
    ctestd_discover_tests(db_tests
      LABELS db
      TIMEOUT 60
      PROPERTIES ENVIRONMENT "DB_HOST=localhost")

#]=======================================================================]

if(CMAKE_VERSION VERSION_LESS 3.25)
  # The package stays usable (ctestd::ctestd) with older CMake; only the
  # command is not, and says so when called.
  function(ctestd_discover_tests)
    message(FATAL_ERROR "ctestd_discover_tests() needs CMake 3.25 or newer (this is CMake ${CMAKE_VERSION})")
  endfunction()
  return()
endif()

# Functions record the policies in effect where they are defined, so the
# caller's policies do not leak in here, nor ours out.
block(SCOPE_FOR POLICIES)
cmake_policy(VERSION 3.25...3.31)

include("${CMAKE_CURRENT_LIST_DIR}/CtestdBracket.cmake") # _ctestd_bracket()

# Appends value to the variable named by text as one more bracket argument.
# value is a named parameter, so a ";" in it stays in it.
function(_ctestd_append_argument text value)
  _ctestd_bracket(quoted "${value}")
  set(${text} "${${text}} ${quoted}" PARENT_SCOPE)
endfunction()

function(ctestd_discover_tests target)
  set(function_name "ctestd_discover_tests()")
  set(options)
  set(one_value_keywords
    FRAMEWORK
    GROUP_BY
    TEST_PREFIX
    TEST_SUFFIX
    WORKING_DIRECTORY
    TIMEOUT
    TEST_LIST
    DISCOVERY_MODE
    DISCOVERY_TIMEOUT
  )
  set(multi_value_keywords
    EXTRA_ARGS
    LABELS
    PROPERTIES
  )
  cmake_parse_arguments(PARSE_ARGV 1 arg "${options}" "${one_value_keywords}" "${multi_value_keywords}")

  # --- Reject what we do not understand --------------------------------
  if(DEFINED arg_UNPARSED_ARGUMENTS)
    string(REPLACE ";" ", " keywords "${one_value_keywords};${multi_value_keywords}")
    message(FATAL_ERROR "${function_name}: unknown arguments \"${arg_UNPARSED_ARGUMENTS}\" "
      "(the keywords are ${keywords})")
  endif()
  foreach(keyword IN LISTS arg_KEYWORDS_MISSING_VALUES)
    if(keyword IN_LIST one_value_keywords)
      message(FATAL_ERROR "${function_name}: ${keyword} needs a value")
    endif()
  endforeach()

  if(NOT TARGET "${target}")
    message(FATAL_ERROR "${function_name}: \"${target}\" is not a target (create it with add_executable() "
      "before calling ${function_name})")
  endif()
  get_target_property(target_type "${target}" TYPE)
  if(NOT target_type STREQUAL "EXECUTABLE")
    message(FATAL_ERROR "${function_name}: \"${target}\" is a ${target_type} target, not an executable")
  endif()
  # add_custom_command(TARGET) does not take an alias.
  get_target_property(aliased "${target}" ALIASED_TARGET)
  if(aliased)
    set(build_target "${aliased}")
  else()
    set(build_target "${target}")
  endif()
  get_target_property(imported "${target}" IMPORTED)

  # --- Defaults, one after another ---------------------------------------
  if(NOT DEFINED arg_FRAMEWORK)
    set(arg_FRAMEWORK auto)
  endif()
  if(NOT arg_FRAMEWORK MATCHES "^(auto|gtest|qtest|catch2|doctest|boost|plain)$")
    message(FATAL_ERROR "${function_name}: unknown FRAMEWORK \"${arg_FRAMEWORK}\" "
      "(expected auto, gtest, qtest, catch2, doctest, boost or plain)")
  endif()
  if(DEFINED arg_GROUP_BY AND NOT arg_GROUP_BY MATCHES "^(case|suite|executable)$")
    message(FATAL_ERROR "${function_name}: unknown GROUP_BY \"${arg_GROUP_BY}\" (expected case, suite or executable)")
  endif()
  set(mode_origin "")
  if(NOT DEFINED arg_DISCOVERY_MODE)
    if(NOT "${CMAKE_CTESTD_DISCOVER_TESTS_DISCOVERY_MODE}" STREQUAL "")
      set(arg_DISCOVERY_MODE "${CMAKE_CTESTD_DISCOVER_TESTS_DISCOVERY_MODE}")
      set(mode_origin " (from CMAKE_CTESTD_DISCOVER_TESTS_DISCOVERY_MODE)")
    else()
      set(arg_DISCOVERY_MODE POST_BUILD)
    endif()
  endif()
  if(NOT arg_DISCOVERY_MODE MATCHES "^(POST_BUILD|PRE_TEST)$")
    message(FATAL_ERROR "${function_name}: unknown DISCOVERY_MODE \"${arg_DISCOVERY_MODE}\"${mode_origin} "
      "(expected POST_BUILD or PRE_TEST)")
  endif()
  if(imported AND arg_DISCOVERY_MODE STREQUAL "POST_BUILD")
    message(FATAL_ERROR "${function_name}: \"${target}\" is an imported executable, which is not built here; "
      "use DISCOVERY_MODE PRE_TEST")
  endif()
  if(NOT DEFINED arg_DISCOVERY_TIMEOUT)
    set(arg_DISCOVERY_TIMEOUT 60)
  endif()
  if(NOT arg_DISCOVERY_TIMEOUT MATCHES "^[0-9]*\\.?[0-9]+$" OR arg_DISCOVERY_TIMEOUT MATCHES "^0*\\.?0*$")
    message(FATAL_ERROR "${function_name}: DISCOVERY_TIMEOUT \"${arg_DISCOVERY_TIMEOUT}\" is not a positive "
      "number of seconds")
  endif()
  if(NOT DEFINED arg_TEST_LIST)
    set(arg_TEST_LIST "${target}_TESTS")
  endif()

  # PROPERTIES: pairs. The values are taken one by one (cmake_parse_arguments
  # (PARSE_ARGV) kept a list value as one element) and never put into a list
  # again: they go straight into properties_text as bracket arguments.
  # TIMEOUT, WORKING_DIRECTORY and LABELS never get here: they are keywords
  # of their own, so cmake_parse_arguments() ends PROPERTIES at them.
  list(LENGTH arg_PROPERTIES property_count)
  math(EXPR unpaired "${property_count} % 2")
  if(unpaired)
    list(POP_BACK arg_PROPERTIES unpaired_key)
    message(AUTHOR_WARNING "${function_name}: PROPERTIES should be key-value pairs; "
      "ignoring the unpaired key \"${unpaired_key}\"")
    math(EXPR property_count "${property_count} - 1")
  endif()
  set(user_properties_text "")
  if(property_count GREATER 0)
    math(EXPR last_key "${property_count} - 2")
    foreach(index RANGE 0 ${last_key} 2)
      math(EXPR value_index "${index} + 1")
      list(GET arg_PROPERTIES ${index} key)
      list(GET arg_PROPERTIES ${value_index} value)
      _ctestd_append_argument(user_properties_text "${key}")
      _ctestd_append_argument(user_properties_text "${value}")
    endforeach()
  endif()
  # "PROPERTIES LABELS slow ENVIRONMENT A=1" makes ENVIRONMENT and A=1 labels.
  foreach(label IN LISTS arg_LABELS)
    if(label MATCHES "^(ATTACHED_FILES|ATTACHED_FILES_ON_FAIL|COST|DEPENDS|DISABLED|ENVIRONMENT|ENVIRONMENT_MODIFICATION|FAIL_REGULAR_EXPRESSION|FIXTURES_CLEANUP|FIXTURES_REQUIRED|FIXTURES_SETUP|MEASUREMENT|PASS_REGULAR_EXPRESSION|PROCESSORS|PROCESSOR_AFFINITY|REQUIRED_FILES|RESOURCE_GROUPS|RESOURCE_LOCK|RUN_SERIAL|SKIP_REGULAR_EXPRESSION|SKIP_RETURN_CODE|TIMEOUT_AFTER_MATCH|WILL_FAIL)$")
      message(AUTHOR_WARNING "${function_name}: LABELS holds \"${label}\", which is a test property: "
        "LABELS is an option of its own that ends the PROPERTIES list, so what follows it became labels; "
        "give LABELS outside PROPERTIES")
      break()
    endif()
  endforeach()

  if(DEFINED arg_TIMEOUT AND NOT arg_TIMEOUT MATCHES "^[0-9]*\\.?[0-9]+$")
    message(FATAL_ERROR "${function_name}: TIMEOUT \"${arg_TIMEOUT}\" is not a number of seconds")
  endif()
  if(DEFINED arg_WORKING_DIRECTORY)
    if(arg_WORKING_DIRECTORY STREQUAL "")
      unset(arg_WORKING_DIRECTORY)
    elseif(NOT IS_ABSOLUTE "${arg_WORKING_DIRECTORY}" AND NOT arg_WORKING_DIRECTORY MATCHES "^\\$<")
      cmake_path(ABSOLUTE_PATH arg_WORKING_DIRECTORY BASE_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}" NORMALIZE)
    endif()
  endif()

  # --- The ctestd program and the companion script -----------------------
  if(NOT CTESTD_EXECUTABLE)
    message(FATAL_ERROR "${function_name}: CTESTD_EXECUTABLE is not set; call find_package(ctestd) "
      "in this directory or a parent directory first")
  endif()
  if(TARGET "${CTESTD_EXECUTABLE}")
    set(ctestd "$<TARGET_FILE:${CTESTD_EXECUTABLE}>")
    get_target_property(ctestd_imported "${CTESTD_EXECUTABLE}" IMPORTED)
    if(NOT ctestd_imported AND NOT imported)
      # Listing the cases after the link runs ctestd, so it must be built.
      add_dependencies("${build_target}" "${CTESTD_EXECUTABLE}")
    endif()
  else()
    set(ctestd "${CTESTD_EXECUTABLE}")
  endif()
  # --- The light client, once per test target ------------------------------
  # <target>_ctestd_case, built here from a C source the package ships, is
  # the first word of every case's command: it asks the daemon for the case
  # without starting Qt, and hands anything else to `ctestd case`. Being a
  # target that depends on the test target, it makes IDEs that build the
  # first word of a test's command (VS Code) rebuild the test executable.
  string(REGEX REPLACE "[^A-Za-z0-9_.+-]" "_" client_target "${target}_ctestd_case")
  if(NOT TARGET "${client_target}")
    if(NOT _CTESTD_CASE_CLIENT_SOURCE OR NOT EXISTS "${_CTESTD_CASE_CLIENT_SOURCE}")
      message(FATAL_ERROR "${function_name}: the client source ctestd_case_client.c was not found "
        "(\"${_CTESTD_CASE_CLIENT_SOURCE}\"); include the ctestd module through find_package(ctestd)")
    endif()
    # C when the project has it; otherwise C++, which the source also is.
    get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
    if(NOT "C" IN_LIST languages)
      if(NOT "CXX" IN_LIST languages)
        message(FATAL_ERROR "${function_name}: the project enables neither C nor C++, which the ctestd "
          "client is built with")
      endif()
      set_property(SOURCE "${_CTESTD_CASE_CLIENT_SOURCE}" PROPERTY LANGUAGE CXX)
    endif()
    add_executable("${client_target}" "${_CTESTD_CASE_CLIENT_SOURCE}")
    target_compile_definitions("${client_target}" PRIVATE "CTESTD_PROGRAM=\"${ctestd}\"")
    if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang" OR CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
      # The project's warning flags are for its own code, not this file.
      target_compile_options("${client_target}" PRIVATE -w)
    endif()
    if(NOT imported)
      add_dependencies("${client_target}" "${build_target}")
    endif()
    if(TARGET "${CTESTD_EXECUTABLE}")
      get_target_property(ctestd_imported "${CTESTD_EXECUTABLE}" IMPORTED)
      if(NOT ctestd_imported)
        add_dependencies("${client_target}" "${CTESTD_EXECUTABLE}")
      endif()
    endif()
  endif()

  if(NOT _CTESTD_DISCOVER_TESTS_SCRIPT OR NOT EXISTS "${_CTESTD_DISCOVER_TESTS_SCRIPT}")
    message(FATAL_ERROR "${function_name}: the companion script CtestdAddTests.cmake was not found "
      "(\"${_CTESTD_DISCOVER_TESTS_SCRIPT}\"); include the ctestd module through find_package(ctestd)")
  endif()

  # --- What the listing and every case run under -------------------------
  # As gtest_discover_tests() and add_test() do: the target's TEST_LAUNCHER
  # (CMake 3.29 and newer), then its CROSSCOMPILING_EMULATOR, before the
  # executable. ctestd takes them as one --launcher command line, each word
  # that holds a blank or a quote in double quotes.
  set(launcher_words "")
  if(CMAKE_VERSION VERSION_GREATER_EQUAL 3.29)
    get_property(test_launcher TARGET "${target}" PROPERTY TEST_LAUNCHER)
    list(APPEND launcher_words ${test_launcher})
  endif()
  get_property(emulator TARGET "${target}" PROPERTY CROSSCOMPILING_EMULATOR)
  list(APPEND launcher_words ${emulator})
  set(launcher_text "")
  foreach(word IN LISTS launcher_words)
    if(word MATCHES "[ \t\"]")
      string(REPLACE "\"" "\"\"\"" word "${word}")
      set(word "\"${word}\"")
    endif()
    string(APPEND launcher_text " ${word}")
  endforeach()
  string(STRIP "${launcher_text}" launcher_text)

  # --- What every case's test gets ---------------------------------------
  set(case_arguments_text "")
  if(NOT launcher_text STREQUAL "")
    _ctestd_append_argument(case_arguments_text --launcher)
    _ctestd_append_argument(case_arguments_text "${launcher_text}")
  endif()
  if(DEFINED arg_WORKING_DIRECTORY)
    _ctestd_append_argument(case_arguments_text --working-directory)
    _ctestd_append_argument(case_arguments_text "${arg_WORKING_DIRECTORY}")
  endif()
  if(DEFINED arg_TIMEOUT)
    _ctestd_append_argument(case_arguments_text --timeout)
    _ctestd_append_argument(case_arguments_text "${arg_TIMEOUT}")
  endif()
  foreach(extra_argument IN LISTS arg_EXTRA_ARGS)
    _ctestd_append_argument(case_arguments_text --extra-arg)
    _ctestd_append_argument(case_arguments_text "${extra_argument}")
  endforeach()

  set(properties_text "")
  _ctestd_append_argument(properties_text SKIP_RETURN_CODE)
  _ctestd_append_argument(properties_text 77)
  if(DEFINED arg_WORKING_DIRECTORY)
    _ctestd_append_argument(properties_text WORKING_DIRECTORY)
    _ctestd_append_argument(properties_text "${arg_WORKING_DIRECTORY}")
  endif()
  if(NOT arg_LABELS STREQUAL "")
    _ctestd_append_argument(properties_text LABELS)
    _ctestd_append_argument(properties_text "${arg_LABELS}")
  endif()
  # TIMEOUT is the case's own limit, which the daemon enforces; the CTest
  # test's TIMEOUT is set per case at discovery, when its group's size is
  # known (CtestdAddTests.cmake), since its answer waits for the group.
  string(APPEND properties_text "${user_properties_text}")

  if(DEFINED arg_WORKING_DIRECTORY)
    set(discovery_directory "${arg_WORKING_DIRECTORY}")
  else()
    set(discovery_directory "${CMAKE_CURRENT_BINARY_DIR}")
  endif()
  set(list_options_text "")
  if(NOT launcher_text STREQUAL "")
    _ctestd_append_argument(list_options_text --launcher)
    _ctestd_append_argument(list_options_text "${launcher_text}")
  endif()
  if(NOT arg_FRAMEWORK STREQUAL "auto")
    _ctestd_append_argument(list_options_text --framework)
    _ctestd_append_argument(list_options_text "${arg_FRAMEWORK}")
  endif()
  if(DEFINED arg_GROUP_BY)
    _ctestd_append_argument(list_options_text --group-by)
    _ctestd_append_argument(list_options_text "${arg_GROUP_BY}")
  endif()

  # --- Per-call files ----------------------------------------------------
  # <target>[H]_ctestd_*: H is a hash of the call's arguments, as
  # GoogleTest.cmake names its files, so several calls (say, with different
  # EXTRA_ARGS) never share files, and a call keeps its files when others are
  # added or reordered. Names differ from gtest_discover_tests' so both can
  # be used at once.
  string(SHA1 call_hash "${ARGV}")
  string(SUBSTRING "${call_hash}" 0 8 call_hash)
  get_property(used_hashes TARGET "${build_target}" PROPERTY CTESTD_DISCOVER_TESTS_CALLS)
  if(call_hash IN_LIST used_hashes)
    message(FATAL_ERROR "${function_name}: ${target} is already registered by a call with the same "
      "arguments in this directory; give the calls different TEST_PREFIX or TEST_SUFFIX")
  endif()
  set_property(TARGET "${build_target}" APPEND PROPERTY CTESTD_DISCOVER_TESTS_CALLS "${call_hash}")
  # An alias or imported name may hold "::".
  string(REGEX REPLACE "[^A-Za-z0-9_.+-]" "_" file_name "${target}")
  set(file_base "${CMAKE_CURRENT_BINARY_DIR}/${file_name}[${call_hash}]_ctestd")

  get_property(multi_config GLOBAL PROPERTY GENERATOR_IS_MULTI_CONFIG)
  if(multi_config)
    set(config_suffix "-$<CONFIG>")
  else()
    set(config_suffix "")
  endif()
  # The parameters of the listing, read by CtestdAddTests.cmake in either
  # mode. Written with file(GENERATE), so generator expressions (the target
  # files, and any in the options) are evaluated per configuration; it is
  # rewritten only when its content changes.
  set(parameters_file "${file_base}_parameters${config_suffix}.cmake")
  set(tests_file "${file_base}_tests${config_suffix}.cmake")

  set(parameter_TARGET "${target}")
  set(parameter_MODE "${arg_DISCOVERY_MODE}")
  set(parameter_CTESTD "${ctestd}")
  set(parameter_CLIENT "$<TARGET_FILE:${client_target}>")
  set(parameter_EXECUTABLE "$<TARGET_FILE:${target}>")
  set(parameter_BUILD_DIR "${CMAKE_BINARY_DIR}")
  set(parameter_DISCOVERY_DIRECTORY "${discovery_directory}")
  set(parameter_DISCOVERY_TIMEOUT "${arg_DISCOVERY_TIMEOUT}")
  set(parameter_CASE_TIMEOUT "${arg_TIMEOUT}")
  set(parameter_TEST_PREFIX "${arg_TEST_PREFIX}")
  set(parameter_TEST_SUFFIX "${arg_TEST_SUFFIX}")
  set(parameter_TEST_LIST "${arg_TEST_LIST}")
  set(parameter_CTEST_FILE "${tests_file}")
  set(parameter_CMAKE_COMMAND "${CMAKE_COMMAND}")
  set(parameters_content "# Generated by ctestd_discover_tests(${target}); read by CtestdAddTests.cmake.\n")
  foreach(name IN ITEMS TARGET MODE CTESTD CLIENT EXECUTABLE BUILD_DIR DISCOVERY_DIRECTORY DISCOVERY_TIMEOUT
                        CASE_TIMEOUT TEST_PREFIX TEST_SUFFIX TEST_LIST CTEST_FILE CMAKE_COMMAND)
    _ctestd_bracket(quoted "${parameter_${name}}")
    string(APPEND parameters_content "set(_ctestd_${name} ${quoted})\n")
  endforeach()
  # Already bracket arguments, ready to be pasted into add_test() and
  # set_tests_properties() calls.
  foreach(name IN ITEMS LIST_OPTIONS CASE_ARGUMENTS PROPERTIES)
    string(TOLOWER "${name}_text" text)
    _ctestd_bracket(quoted "${${text}}")
    string(APPEND parameters_content "set(_ctestd_${name} ${quoted})\n")
  endforeach()
  file(GENERATE OUTPUT "${parameters_file}" CONTENT "${parameters_content}")

  _ctestd_bracket(not_built_name "${target}_NOT_BUILT")
  _ctestd_bracket(q_tests_file "${tests_file}")
  _ctestd_bracket(q_failed_marker "${tests_file}.failed")
  _ctestd_bracket(q_parameters_file "${parameters_file}")
  _ctestd_bracket(q_executable "$<TARGET_FILE:${target}>")
  _ctestd_bracket(q_script "${_CTESTD_DISCOVER_TESTS_SCRIPT}")
  if(arg_DISCOVERY_MODE STREQUAL "POST_BUILD")
    add_custom_command(TARGET "${build_target}" POST_BUILD
      BYPRODUCTS "${tests_file}"
      COMMAND "${CMAKE_COMMAND}" -D "CTESTD_DISCOVERY_PARAMETERS=${parameters_file}"
              -P "${_CTESTD_DISCOVER_TESTS_SCRIPT}"
      COMMENT "Listing the cases of ${target} for CTest (ctestd)"
      VERBATIM)
    # Changed options must reach the test list: relink (and so list again)
    # when the parameters change, not only when the code does.
    set_property(TARGET "${build_target}" APPEND PROPERTY LINK_DEPENDS "${parameters_file}")
    string(CONCAT include_content
      "if(EXISTS ${q_tests_file})\n"
      "  include(${q_tests_file})\n"
      "else()\n"
      "  add_test(${not_built_name} ${not_built_name})\n"
      "endif()\n")
  else()
    # Listed again whenever the executable, or the parameters, are newer
    # than the list, or the last listing failed.
    string(CONCAT include_content
      "if(EXISTS ${q_executable})\n"
      "  if(NOT EXISTS ${q_tests_file} OR\n"
      "     EXISTS ${q_failed_marker} OR\n"
      "     NOT ${q_tests_file} IS_NEWER_THAN ${q_executable} OR\n"
      "     NOT ${q_tests_file} IS_NEWER_THAN ${q_parameters_file})\n"
      "    include(${q_script})\n"
      "    ctestd_discover_tests_impl(${q_parameters_file})\n"
      "  endif()\n"
      "  include(${q_tests_file})\n"
      "else()\n"
      "  add_test(${not_built_name} ${not_built_name})\n"
      "endif()\n")
  endif()

  # TEST_INCLUDE_FILES is read by ctest, which knows the configuration only
  # at run time: one include file per configuration, chosen by a fixed one.
  set(include_file "${file_base}_include.cmake")
  if(multi_config)
    foreach(config IN LISTS CMAKE_CONFIGURATION_TYPES)
      file(GENERATE OUTPUT "${file_base}_include-${config}.cmake" CONTENT "${include_content}"
        CONDITION $<CONFIG:${config}>)
    endforeach()
    file(WRITE "${include_file}"
      "if(EXISTS \"${file_base}_include-\${CTEST_CONFIGURATION_TYPE}.cmake\")\n"
      "  include(\"${file_base}_include-\${CTEST_CONFIGURATION_TYPE}.cmake\")\n"
      "else()\n"
      "  add_test(${not_built_name} ${not_built_name})\n"
      "endif()\n")
  else()
    file(GENERATE OUTPUT "${include_file}" CONTENT "${include_content}")
  endif()
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${include_file}")
endfunction()

endblock()

# Recorded here, where the module is included, so that an installed module
# finds the script and the client's source installed next to it.
set(_CTESTD_DISCOVER_TESTS_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/CtestdAddTests.cmake")
set(_CTESTD_CASE_CLIENT_SOURCE "${CMAKE_CURRENT_LIST_DIR}/ctestd_case_client.c")
