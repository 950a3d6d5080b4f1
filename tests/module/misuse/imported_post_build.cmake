# SPDX-License-Identifier: BSD-3-Clause
add_executable(prebuilt_tests IMPORTED)
set_target_properties(prebuilt_tests PROPERTIES IMPORTED_LOCATION /usr/bin/true)
ctestd_discover_tests(prebuilt_tests DISCOVERY_MODE POST_BUILD)
