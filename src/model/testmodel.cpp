// SPDX-License-Identifier: BSD-3-Clause
#include "testmodel.h"

#include <csignal>

namespace ctestd {

QString ctestSignalText(int signal)
{
    // The texts of CMake 3.25's cmProcess::GetExitExceptionString() for the
    // signals ctest does not map to SEGFAULT/ILLEGAL/INTERRUPT/NUMERICAL
    // (checked against real ctest 3.25.1, one signal at a time).
    switch (signal) {
    case SIGABRT:
        return QStringLiteral("Subprocess aborted");
    case SIGKILL:
        return QStringLiteral("Subprocess killed");
    case SIGTERM:
        return QStringLiteral("Subprocess terminated");
    case SIGBUS:
        return QStringLiteral("Bus error");
    case 0:
        // Not a ctest text: the worker process itself went away.
        return QStringLiteral("Worker lost");
    default:
        break;
    }
    static const struct {
        int number;
        const char *name;
    } named[] = {
        {SIGHUP, "SIGHUP"},
        {SIGQUIT, "SIGQUIT"},
        {SIGTRAP, "SIGTRAP"},
        {SIGUSR1, "SIGUSR1"},
        {SIGUSR2, "SIGUSR2"},
        {SIGPIPE, "SIGPIPE"},
        {SIGALRM, "SIGALRM"},
        {SIGSTKFLT, "SIGSTKFLT"},
        {SIGCHLD, "SIGCHLD"},
        {SIGCONT, "SIGCONT"},
        {SIGSTOP, "SIGSTOP"},
        {SIGTSTP, "SIGTSTP"},
        {SIGTTIN, "SIGTTIN"},
        {SIGTTOU, "SIGTTOU"},
        {SIGURG, "SIGURG"},
        {SIGXCPU, "SIGXCPU"},
        {SIGXFSZ, "SIGXFSZ"},
        {SIGVTALRM, "SIGVTALRM"},
        {SIGPROF, "SIGPROF"},
        {SIGWINCH, "SIGWINCH"},
        {SIGPOLL, "SIGPOLL"},
        {SIGPWR, "SIGPWR"},
        {SIGSYS, "SIGSYS"},
    };
    for (const auto &entry : named) {
        if (entry.number == signal)
            return QString::fromLatin1(entry.name);
    }
    return QStringLiteral("Signal %1").arg(signal);
}

QString ctestCrashText(int signal)
{
    switch (signal) {
    case SIGSEGV:
        return QStringLiteral("SegFault");
    case SIGILL:
        return QStringLiteral("Illegal");
    case SIGINT:
        return QStringLiteral("Interrupt");
    case SIGFPE:
        return QStringLiteral("Numerical");
    default:
        return ctestSignalText(signal);
    }
}

CTestWords ctestWords(const CaseResult &result)
{
    switch (result.status) {
    case Status::Passed:
        return {QStringLiteral("   Passed  "), QStringLiteral("Passed")};
    case Status::Failed:
        return {QStringLiteral("***Failed  ") + result.reason, QStringLiteral("Failed")};
    case Status::Skipped:
        return {QStringLiteral("***Skipped "), QStringLiteral("Skipped")};
    case Status::Disabled:
        return {QStringLiteral("***Not Run (Disabled) "), QStringLiteral("Disabled")};
    case Status::Timeout:
        return {QStringLiteral("***Timeout "), QStringLiteral("Timeout")};
    case Status::NotRun:
    case Status::Stopped:
        return {QStringLiteral("***Not Run "), QStringLiteral("Not Run")};
    case Status::Crashed: {
        const QString text = ctestCrashText(result.signal);
        const bool special
            = result.signal == SIGSEGV || result.signal == SIGILL || result.signal == SIGINT || result.signal == SIGFPE;
        // ctest lists the four it knows as SEGFAULT, ILLEGAL, ...; any other
        // signal puts its text before the marker and lists it as it is.
        if (special)
            return {QStringLiteral("***Exception: ") + text, text.toUpper()};
        return {text + QStringLiteral("***Exception: "), text};
    }
    }
    return {};
}

static const char *const statusNames[]
    = {"passed", "failed", "skipped", "disabled", "timeout", "crashed", "notrun", "stopped"};

int ctestNumberWidth(int n)
{
    int width = 1;
    while (n >= 10) {
        n /= 10;
        ++width;
    }
    return width;
}

QString statusName(Status s)
{
    return QString::fromLatin1(statusNames[static_cast<int>(s)]);
}

bool statusFromName(const QString &name, Status *out)
{
    for (int i = 0; i < int(sizeof(statusNames) / sizeof(statusNames[0])); ++i) {
        if (name == QLatin1String(statusNames[i])) {
            *out = static_cast<Status>(i);
            return true;
        }
    }
    return false;
}

} // namespace ctestd
