# SPDX-License-Identifier: BSD-3-Clause
ctestd_discover_tests(no_such_tests)
