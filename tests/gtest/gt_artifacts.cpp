// SPDX-License-Identifier: BSD-3-Clause
// gt_artifacts: tests that leave files in $CTESTD_ARTIFACT_DIR (--archive).
//
//   Shots.First   Passed   writes first.txt ("first shot")
//   Shots.Second  Passed   writes logs/second.log ("second shot")
//   Lone.Dump     Failed   writes dump.bin (256 bytes 0..255) and a symbolic link
//                          link -> /etc/passwd, which a bundle must not keep
// Without the variable (no --archive), every case fails: the variable must
// be set, to a folder that exists and is empty when the process starts.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace {
std::string artifactDir()
{
    const char *dir = std::getenv("CTESTD_ARTIFACT_DIR");
    return dir ? dir : "";
}
} // namespace

TEST(Shots, First)
{
    const std::string dir = artifactDir();
    ASSERT_FALSE(dir.empty()) << "CTESTD_ARTIFACT_DIR is not set";
    std::ofstream(dir + "/first.txt") << "first shot";
}

TEST(Shots, Second)
{
    const std::string dir = artifactDir();
    ASSERT_FALSE(dir.empty()) << "CTESTD_ARTIFACT_DIR is not set";
    ASSERT_EQ(::mkdir((dir + "/logs").c_str(), 0755), 0);
    std::ofstream(dir + "/logs/second.log") << "second shot";
}

TEST(Lone, Dump)
{
    const std::string dir = artifactDir();
    ASSERT_FALSE(dir.empty()) << "CTESTD_ARTIFACT_DIR is not set";
    std::ofstream dump(dir + "/dump.bin", std::ios::binary);
    for (int i = 0; i < 256; ++i)
        dump.put(static_cast<char>(i));
    dump.close();
    ASSERT_EQ(::symlink("/etc/passwd", (dir + "/link").c_str()), 0);
    FAIL() << "left a dump";
}
