// SPDX-License-Identifier: BSD-3-Clause
// The one small program behind the plain (non-gtest) tests of the agreement
// project. Every mode first prints a marker line to stdout and one to stderr,
// so that the agreement test can tell whose output an --output-on-failure
// block holds:
//     agree-marker-out: <arguments>
//     agree-marker-err: <arguments>
//
//   agree_helper pass [TEXT...]              exit 0
//   agree_helper exit CODE [TEXT...]         exit CODE
//   agree_helper segv                        die of SIGSEGV (no core file)
//   agree_helper abort                       die of SIGABRT (abort(), no core file)
//   agree_helper sleep MS                    sleep, then exit 0
//   agree_helper env NAME VALUE              exit 0 iff $NAME == VALUE
//   agree_helper cwd DIR                     exit 0 iff the working directory is DIR
//   agree_helper touch FILE [MS]             sleep MS, then create FILE (and its folder)
//   agree_helper expect-file FILE            exit 0 iff FILE exists
//   agree_helper remove FILE                 remove FILE, exit 0
//   agree_helper exclusive LOG NAME MS       append "NAME start" to LOG, sleep, append
//                                            "NAME end"; exit 1 if any other test wrote
//                                            to LOG in between or had not ended before
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <limits.h>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

void sleepMs(long ms)
{
    if (ms > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

void disableCoreDumps()
{
    struct rlimit none = {0, 0};
    ::setrlimit(RLIMIT_CORE, &none);
}

std::string readAll(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string lastLine(const std::string &text)
{
    std::string trimmed = text;
    while (!trimmed.empty() && trimmed.back() == '\n')
        trimmed.pop_back();
    const std::size_t newline = trimmed.rfind('\n');
    return newline == std::string::npos ? trimmed : trimmed.substr(newline + 1);
}

bool appendLine(const std::string &path, const std::string &line)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return false;
    const std::string text = line + "\n";
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    return ok;
}

void makeParent(const std::string &file)
{
    const std::size_t slash = file.rfind('/');
    if (slash == std::string::npos || slash == 0)
        return;
    const std::string parent = file.substr(0, slash);
    makeParent(parent);
    ::mkdir(parent.c_str(), 0755);
}

std::string realPath(const std::string &path)
{
    char resolved[PATH_MAX];
    return ::realpath(path.c_str(), resolved) ? std::string(resolved) : path;
}

int usage()
{
    std::cerr << "usage: agree_helper pass|exit|segv|abort|sleep|env|cwd|touch|expect-file|remove|exclusive ...\n";
    return 2;
}

// Two tests that must never overlap (RESOURCE_LOCK, RUN_SERIAL) each check
// the shared log when they start and again before they end.
int exclusive(const std::string &log, const std::string &name, long ms)
{
    const std::string before = lastLine(readAll(log));
    if (before.size() > 6 && before.compare(before.size() - 6, 6, " start") == 0) {
        appendLine(log, name + " start-while-running " + before);
        std::cout << "agree overlap: " << name << " started while '" << before << "'" << std::endl;
        return 1;
    }
    appendLine(log, name + " start");
    sleepMs(ms);
    const std::string after = lastLine(readAll(log));
    if (after != name + " start") {
        appendLine(log, name + " end-after-overlap");
        std::cout << "agree overlap: " << name << " saw '" << after << "' while running" << std::endl;
        return 1;
    }
    appendLine(log, name + " end");
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    std::string joined;
    for (const std::string &arg : args)
        joined += (joined.empty() ? "" : " ") + arg;
    std::cout << "agree-marker-out: " << joined << std::endl;
    std::cerr << "agree-marker-err: " << joined << std::endl;
    if (args.empty())
        return usage();
    const std::string &mode = args[0];
    if (mode == "pass")
        return 0;
    if (mode == "exit" && args.size() >= 2)
        return std::atoi(args[1].c_str());
    if (mode == "segv") {
        disableCoreDumps();
        volatile int *volatile pointer = nullptr;
        *pointer = 42;
        std::raise(SIGSEGV);
        return 1;
    }
    if (mode == "abort") {
        disableCoreDumps();
        std::abort();
    }
    if (mode == "sleep" && args.size() == 2) {
        sleepMs(std::atol(args[1].c_str()));
        return 0;
    }
    if (mode == "env" && args.size() == 3) {
        const char *value = std::getenv(args[1].c_str());
        if (value && args[2] == value)
            return 0;
        std::cout << "agree env: " << args[1] << " is " << (value ? value : "(unset)") << ", expected " << args[2]
                  << std::endl;
        return 1;
    }
    if (mode == "cwd" && args.size() == 2) {
        char cwd[PATH_MAX];
        const std::string actual = ::getcwd(cwd, sizeof cwd) ? realPath(cwd) : std::string("(unknown)");
        if (actual == realPath(args[1]))
            return 0;
        std::cout << "agree cwd: " << actual << ", expected " << args[1] << std::endl;
        return 1;
    }
    if (mode == "touch" && args.size() >= 2) {
        sleepMs(args.size() >= 3 ? std::atol(args[2].c_str()) : 0);
        makeParent(args[1]);
        return appendLine(args[1], "touched") ? 0 : 1;
    }
    if (mode == "expect-file" && args.size() == 2) {
        struct stat info;
        if (::stat(args[1].c_str(), &info) == 0)
            return 0;
        std::cout << "agree expect-file: " << args[1] << " is missing" << std::endl;
        return 1;
    }
    if (mode == "remove" && args.size() == 2) {
        ::unlink(args[1].c_str());
        return 0;
    }
    if (mode == "exclusive" && args.size() == 4) {
        makeParent(args[1]);
        return exclusive(args[1], args[2], std::atol(args[3].c_str()));
    }
    return usage();
}
