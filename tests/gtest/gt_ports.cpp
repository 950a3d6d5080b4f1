// SPDX-License-Identifier: BSD-3-Clause
// gt_ports: two suites that each bind a TCP port, as websocketpp's transport
// tests bind 9005, and meet while they hold it (README, "Workers").
//
// PortsA.Bind and PortsB.Bind bind 127.0.0.1 at $CTESTD_PORT_BASE plus
// $CTESTD_WORKER_ID (plus 0 with CTESTD_SAME_PORT=1, the fixed port of a
// suite that ignores the id), write "<suite>.bound" into $CTESTD_RENDEZVOUS
// and hold the port until the other suite's file is there (5 s at most), so
// that under two workers both hold their ports at once. Each also checks that
// its TMPDIR is a directory it can write, and logs what its worker gave it
// (ctestd_fixture::logWorker, $CTESTD_WORKER_LOG).
//
// Expected status under ctestd -j2, ids on: both Passed. With
// CTESTD_SAME_PORT=1 the suite that binds second fails ("port ... in use").
#include "gtest_support.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace {

std::string env(const char *name)
{
    const char *value = std::getenv(name);
    return value ? value : "";
}

bool exists(const std::string &path)
{
    struct stat info { };
    return ::stat(path.c_str(), &info) == 0;
}

void bindAndMeet(const std::string &suite, const std::string &other)
{
    ctestd_fixture::logWorker(suite.c_str());
    const std::string tmp = env("TMPDIR");
    ASSERT_FALSE(tmp.empty()) << "no TMPDIR";
    std::ofstream(tmp + "/" + suite + ".scratch") << suite;
    ASSERT_TRUE(exists(tmp + "/" + suite + ".scratch")) << "cannot write in TMPDIR " << tmp;

    const int base = std::atoi(env("CTESTD_PORT_BASE").c_str());
    ASSERT_GT(base, 0) << "CTESTD_PORT_BASE is not set";
    const int port = base + (env("CTESTD_SAME_PORT") == "1" ? 0 : std::atoi(env("CTESTD_WORKER_ID").c_str()));
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
        const int error = errno;
        ::close(fd);
        FAIL() << "port " << port << " in use: " << std::strerror(error);
    }
    ::listen(fd, 1);
    const std::string rendezvous = env("CTESTD_RENDEZVOUS");
    if (!rendezvous.empty()) {
        std::ofstream(rendezvous + "/" + suite + ".bound") << port;
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (!exists(rendezvous + "/" + other + ".bound") && std::chrono::steady_clock::now() < until)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::close(fd);
}

} // namespace

TEST(PortsA, Bind)
{
    bindAndMeet("PortsA", "PortsB");
}

TEST(PortsB, Bind)
{
    bindAndMeet("PortsB", "PortsA");
}
