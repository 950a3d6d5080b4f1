# SPDX-License-Identifier: BSD-3-Clause
# Shared by ctestd.cmake (configure time) and CtestdAddTests.cmake (the -P
# script that registers the listed cases): both write CMake code that must
# read back every test name, selector and argument exactly.

# Sets ${out} to value as a bracket argument that reads back exactly as value
# (any number of "=", so that no "]=]" inside ends it early).
function(_ctestd_bracket out value)
  if(value MATCHES "^\n")
    # The newline right after an opening bracket is dropped when read back.
    string(PREPEND value "\n")
  endif()
  set(equals "=")
  string(LENGTH "${value}" length)
  while(TRUE)
    string(FIND "${value}]${equals}]" "]${equals}]" found)
    if(found EQUAL length)
      break()
    endif()
    string(APPEND equals "=")
  endwhile()
  set(${out} "[${equals}[${value}]${equals}]" PARENT_SCOPE)
endfunction()
