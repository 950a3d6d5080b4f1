# SPDX-License-Identifier: BSD-3-Clause
# Not misuse: an imported executable is fine with PRE_TEST (configure succeeds, silently).
add_executable(prebuilt_tests IMPORTED)
set_target_properties(prebuilt_tests PROPERTIES IMPORTED_LOCATION /usr/bin/true)
ctestd_discover_tests(prebuilt_tests DISCOVERY_MODE PRE_TEST)
