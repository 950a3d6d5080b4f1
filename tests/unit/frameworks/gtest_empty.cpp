// SPDX-License-Identifier: BSD-3-Clause
// A GoogleTest executable without a single test (linked with gtest_main).
#include <gtest/gtest.h>
