# SPDX-License-Identifier: BSD-3-Clause
set(CMAKE_CTESTD_DISCOVER_TESTS_DISCOVERY_MODE SOMETIMES)
ctestd_discover_tests(mini_tests)
