// SPDX-License-Identifier: BSD-3-Clause
// A Catch2 v2 test program with an expensive process-wide resource: a
// (pretend) test server that takes 200 ms to start and is shared by every
// case of the process. Catch2 builds a TEST_CASE_METHOD fixture per case (and
// per section pass); the server behind it is started once per process.
//
// Expected: all 6 cases pass.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <unistd.h>

namespace {

class TestServer {
public:
    static TestServer &instance()
    {
        static TestServer server; // started on first use, once per process
        return server;
    }
    std::string get(const std::string &path) const { return path == "/health" ? "ok" : "404"; }

private:
    TestServer()
    {
        std::printf("[fixture] starting the test server (200 ms) in process %ld\n", static_cast<long>(::getpid()));
        std::fflush(stdout);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
};

// The per-case fixture: cheap, built for every case and every section pass.
struct ClientFixture {
    TestServer &server = TestServer::instance();
    std::string session = "fresh";
};

} // namespace

TEST_CASE_METHOD(ClientFixture, "health check", "[server]")
{
    REQUIRE(server.get("/health") == "ok");
}

TEST_CASE_METHOD(ClientFixture, "unknown path gives 404", "[server]")
{
    REQUIRE(server.get("/nope") == "404");
}

TEST_CASE_METHOD(ClientFixture, "sessions start fresh", "[server]")
{
    SECTION("first visit")
    {
        REQUIRE(session == "fresh");
        session = "used";
    }
    SECTION("second visit")
    {
        REQUIRE(session == "fresh");
    } // a new fixture per section pass
}

// Names with Catch2's test-spec characters are selected exactly.
TEST_CASE("paths, with commas [and brackets]", "[parsing]")
{
    REQUIRE(std::string("a,b").find(',') == 1);
}

TEST_CASE("*wildcard-looking* name", "[parsing]")
{
    REQUIRE(true);
}

TEST_CASE("plain arithmetic")
{
    REQUIRE(2 + 2 == 4);
}
