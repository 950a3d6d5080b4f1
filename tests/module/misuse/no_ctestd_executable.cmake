# SPDX-License-Identifier: BSD-3-Clause
unset(CTESTD_EXECUTABLE)
ctestd_discover_tests(mini_tests)
