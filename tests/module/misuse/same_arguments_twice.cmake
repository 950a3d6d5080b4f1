# SPDX-License-Identifier: BSD-3-Clause
# Two calls with the same arguments would register the same tests twice and
# share one set of files.
ctestd_discover_tests(mini_tests TEST_PREFIX a.)
ctestd_discover_tests(mini_tests TEST_PREFIX a.)
