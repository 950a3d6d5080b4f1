# SPDX-License-Identifier: BSD-3-Clause
add_library(mini_lib STATIC main.cpp)
ctestd_discover_tests(mini_lib)
