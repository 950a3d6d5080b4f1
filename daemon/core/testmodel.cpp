// SPDX-License-Identifier: BSD-3-Clause
#include "testmodel.h"

#include <csignal>

namespace ctestd {

QString ctestSignalText(int signal)
{
    // The texts of CMake 3.25's cmProcess::GetExitExceptionString() for the
    // signals ctest does not map to SEGFAULT/ILLEGAL/INTERRUPT/NUMERICAL.
    switch (signal) {
    case SIGABRT:
        return QStringLiteral("Subprocess aborted");
    case SIGKILL:
        return QStringLiteral("Subprocess killed");
    case SIGTERM:
        return QStringLiteral("Subprocess terminated");
    case SIGBUS:
        return QStringLiteral("Bus error");
    case SIGPIPE:
        return QStringLiteral("Broken pipe");
    case SIGTRAP:
        return QStringLiteral("Trace trap");
    case SIGSYS:
        return QStringLiteral("Bad system call");
    case 0:
        return QStringLiteral("Worker lost");
    default:
        return QStringLiteral("Signal %1").arg(signal);
    }
}

CTestWords ctestWords(const CaseResult &result)
{
    switch (result.status) {
    case Status::Passed:
        return {QStringLiteral("   Passed  "), QStringLiteral("Passed")};
    case Status::Failed:
        return {QStringLiteral("***Failed  "), QStringLiteral("Failed")};
    case Status::Skipped:
        return {QStringLiteral("***Skipped "), QStringLiteral("Skipped")};
    case Status::Disabled:
        return {QStringLiteral("***Not Run (Disabled) "), QStringLiteral("Disabled")};
    case Status::Timeout:
        return {QStringLiteral("***Timeout "), QStringLiteral("Timeout")};
    case Status::NotRun:
        return {QStringLiteral("***Not Run "), QStringLiteral("Not Run")};
    case Status::Crashed:
        switch (result.signal) {
        case SIGSEGV:
            return {QStringLiteral("***Exception: SegFault"), QStringLiteral("SEGFAULT")};
        case SIGILL:
            return {QStringLiteral("***Exception: Illegal"), QStringLiteral("ILLEGAL")};
        case SIGINT:
            return {QStringLiteral("***Exception: Interrupt"), QStringLiteral("INTERRUPT")};
        case SIGFPE:
            return {QStringLiteral("***Exception: Numerical"), QStringLiteral("NUMERICAL")};
        default: {
            const QString text = ctestSignalText(result.signal);
            return {text + QStringLiteral("***Exception: "), text};
        }
        }
    }
    return {};
}

static const char *const statusNames[] = {"passed", "failed", "skipped", "disabled", "timeout", "crashed", "notrun"};

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
