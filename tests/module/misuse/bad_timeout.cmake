# SPDX-License-Identifier: BSD-3-Clause
ctestd_discover_tests(mini_tests TIMEOUT soon)
