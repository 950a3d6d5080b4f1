// SPDX-License-Identifier: BSD-3-Clause
// fault_names_gtest: GoogleTest names that are not identifiers. A typed
// suite's name generator may return any string; gtest lists "Typed/b c." with
// a space and runs the case under that name.
//
// Expected status of every case (display names as gtest_discover_tests makes
// them, CMake's quirk for a non-numeric typed suite included):
//   Typed.Works<Typed/a.  # TypeParam = int>      Passed
//   Typed.Works<Typed/b c.  # TypeParam = long>   Failed   (the case with the space)
//   Plain.Ok                                      Passed
// Each is listed, run and reported exactly once; JUnit has three cases.
#include <gtest/gtest.h>

#include <string>

template<typename T> class Typed : public ::testing::Test { };

struct SpacedNames {
    template<typename T> static std::string GetName(int index) { return index == 0 ? "a" : "b c"; }
};

using Types = ::testing::Types<int, long>;
TYPED_TEST_SUITE(Typed, Types, SpacedNames);

TYPED_TEST(Typed, Works)
{
    // Passes for int, fails for long (8 bytes on x86-64 Linux).
    EXPECT_EQ(sizeof(TypeParam), sizeof(int));
}

TEST(Plain, Ok)
{
    SUCCEED();
}
