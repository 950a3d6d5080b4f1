// SPDX-License-Identifier: BSD-3-Clause
#include "protocol/messages.h"

#include "protocol/fieldreader.h"

#include <QCborArray>

#include <limits>

namespace ctestd::protocol {

using detail::FieldReader;
using detail::Presence;

namespace {

constexpr qint64 MaxInt64 = std::numeric_limits<qint64>::max();
constexpr int MinInt = std::numeric_limits<int>::min();
constexpr int MaxInt = std::numeric_limits<int>::max();

// The body keys, as listed in src/PROTOCOL.md.
namespace Key {
constexpr QLatin1String Unit("unit");
constexpr QLatin1String Executable("exe");
constexpr QLatin1String Framework("framework");
constexpr QLatin1String Selectors("selectors");
constexpr QLatin1String Arguments("args");
constexpr QLatin1String WorkingDirectory("cwd");
constexpr QLatin1String Environment("env");
constexpr QLatin1String Timeout("timeout");
constexpr QLatin1String OutputCap("outputcap");
constexpr QLatin1String Pid("pid");
constexpr QLatin1String Host("host");
constexpr QLatin1String Launch("launch");
constexpr QLatin1String At("at");
constexpr QLatin1String Launcher("launcher");
constexpr QLatin1String Id("id");
constexpr QLatin1String Count("count");
constexpr QLatin1String Setup("setup");
constexpr QLatin1String Teardown("teardown");
constexpr QLatin1String HookTimeout("hooktimeout");
constexpr QLatin1String KeepTmp("keeptmp");
constexpr QLatin1String IsolateWorkdir("isolate");
constexpr QLatin1String Hook("hook");
constexpr QLatin1String Ran("ran");
constexpr QLatin1String TimedOut("timedout");
constexpr QLatin1String TmpDir("tmpdir");
constexpr QLatin1String Selector("selector");
constexpr QLatin1String Stream("stream");
constexpr QLatin1String Data("data");
constexpr QLatin1String Status("status");
constexpr QLatin1String Seconds("seconds");
constexpr QLatin1String Message("message");
constexpr QLatin1String File("file");
constexpr QLatin1String Line("line");
constexpr QLatin1String Signal("signal");
constexpr QLatin1String ExitCode("exitcode");
constexpr QLatin1String Note("note");
constexpr QLatin1String Error("error");
constexpr QLatin1String Unreported("unreported");
constexpr QLatin1String StoppedEarly("stoppedearly");
constexpr QLatin1String Suspect("suspect");
constexpr QLatin1String StopOnFailure("stoponfailure");
constexpr QLatin1String OutputLog("outputlog");
constexpr QLatin1String Build("build");
constexpr QLatin1String Refused("refused");
constexpr QLatin1String Unconfirmed("unconfirmed");
constexpr QLatin1String Names("names");
constexpr QLatin1String PassRegex("passre");
constexpr QLatin1String FailRegex("failre");
constexpr QLatin1String SkipRegex("skipre");
constexpr QLatin1String SkipReturnCode("skipcode");
constexpr QLatin1String WillFail("willfail");
constexpr QLatin1String Reason("reason");
constexpr QLatin1String GroupBy("groupby");
constexpr QLatin1String Group("group");
constexpr QLatin1String Output("output");
constexpr QLatin1String InvocationPid("invpid");
constexpr QLatin1String InvocationStart("invstart");
constexpr QLatin1String InvocationIsCtest("invctest");
constexpr QLatin1String ExecutableIdentity("exeid");
constexpr QLatin1String EnvironmentComplete("envcomplete");
} // namespace Key

// Every reply about a unit names it; 0 is never issued.
void readUnit(FieldReader &reader, qint64 *unit)
{
    reader.integer(Key::Unit, unit, 1, MaxInt64);
}

} // namespace

QString messageTypeName(MessageType type)
{
    switch (type) {
    case MessageType::Challenge:
        return QStringLiteral("Challenge");
    case MessageType::Response:
        return QStringLiteral("Response");
    case MessageType::Welcome:
        return QStringLiteral("Welcome");
    case MessageType::Refused:
        return QStringLiteral("Refused");
    case MessageType::RunUnit:
        return QStringLiteral("RunUnit");
    case MessageType::Shutdown:
        return QStringLiteral("Shutdown");
    case MessageType::Ping:
        return QStringLiteral("Ping");
    case MessageType::Pong:
        return QStringLiteral("Pong");
    case MessageType::WorkerSetup:
        return QStringLiteral("WorkerSetup");
    case MessageType::HookFinished:
        return QStringLiteral("HookFinished");
    case MessageType::Ready:
        return QStringLiteral("Ready");
    case MessageType::CaseStarted:
        return QStringLiteral("CaseStarted");
    case MessageType::CaseOutput:
        return QStringLiteral("CaseOutput");
    case MessageType::CaseFinished:
        return QStringLiteral("CaseFinished");
    case MessageType::UnitFinished:
        return QStringLiteral("UnitFinished");
    case MessageType::CaseRequest:
        return QStringLiteral("CaseRequest");
    case MessageType::CaseAnswer:
        return QStringLiteral("CaseAnswer");
    case MessageType::CaseAccepted:
        return QStringLiteral("CaseAccepted");
    }
    return QStringLiteral("message type %1").arg(int(type));
}

bool isKnownMessageType(quint8 value)
{
    switch (static_cast<MessageType>(value)) {
    case MessageType::Challenge:
    case MessageType::Response:
    case MessageType::Welcome:
    case MessageType::Refused:
    case MessageType::RunUnit:
    case MessageType::Shutdown:
    case MessageType::Ping:
    case MessageType::Pong:
    case MessageType::Ready:
    case MessageType::CaseStarted:
    case MessageType::CaseOutput:
    case MessageType::CaseFinished:
    case MessageType::UnitFinished:
    case MessageType::CaseRequest:
    case MessageType::CaseAnswer:
    case MessageType::CaseAccepted:
    case MessageType::WorkerSetup:
    case MessageType::HookFinished:
        return true;
    }
    return false;
}

// RunUnit

QCborMap RunUnit::toCbor() const
{
    QCborMap env;
    for (auto it = environment.constBegin(); it != environment.constEnd(); ++it)
        env.insert(it.key(), it.value());
    QCborMap map;
    map.insert(Key::Unit, unit);
    map.insert(Key::Executable, executable);
    map.insert(Key::Framework, framework);
    map.insert(Key::Selectors, QCborArray::fromStringList(selectors));
    if (!names.isEmpty()) {
        QCborMap nameMap;
        for (auto it = names.constBegin(); it != names.constEnd(); ++it)
            nameMap.insert(it.key(), it.value());
        map.insert(Key::Names, nameMap);
    }
    map.insert(Key::Arguments, QCborArray::fromStringList(extraArguments));
    map.insert(Key::WorkingDirectory, workingDirectory);
    map.insert(Key::Environment, env);
    map.insert(Key::Timeout, timeoutSeconds);
    map.insert(Key::OutputCap, outputCap);
    // CTest's result rules travel only when set (plain tests from a build tree).
    if (!rules.passRegex.isEmpty())
        map.insert(Key::PassRegex, QCborArray::fromStringList(rules.passRegex));
    if (!rules.failRegex.isEmpty())
        map.insert(Key::FailRegex, QCborArray::fromStringList(rules.failRegex));
    if (!rules.skipRegex.isEmpty())
        map.insert(Key::SkipRegex, QCborArray::fromStringList(rules.skipRegex));
    if (rules.skipReturnCode >= 0)
        map.insert(Key::SkipReturnCode, rules.skipReturnCode);
    if (rules.willFail)
        map.insert(Key::WillFail, 1);
    if (stopOnFailure)
        map.insert(Key::StopOnFailure, true);
    if (environmentComplete)
        map.insert(Key::EnvironmentComplete, true);
    if (!outputLog.isEmpty())
        map.insert(Key::OutputLog, outputLog);
    if (!build.isEmpty())
        map.insert(Key::Build, build);
    if (!launcher.isEmpty())
        map.insert(Key::Launcher, QCborArray::fromStringList(launcher));
    return map;
}

std::optional<RunUnit> RunUnit::fromCbor(const QCborMap &map, QString *error)
{
    RunUnit m;
    FieldReader r(map, QLatin1String("RunUnit"), error);
    readUnit(r, &m.unit);
    r.text(Key::Executable, &m.executable);
    r.text(Key::Framework, &m.framework);
    r.textList(Key::Selectors, &m.selectors);
    r.textMap(Key::Names, &m.names, Presence::Optional);
    r.textList(Key::Arguments, &m.extraArguments, Presence::Optional);
    r.text(Key::WorkingDirectory, &m.workingDirectory, Presence::Optional);
    r.textMap(Key::Environment, &m.environment, Presence::Optional);
    r.number(Key::Timeout, &m.timeoutSeconds, 0);
    r.integer(Key::OutputCap, &m.outputCap, 0, MaxInt64);
    r.textList(Key::PassRegex, &m.rules.passRegex, Presence::Optional);
    r.textList(Key::FailRegex, &m.rules.failRegex, Presence::Optional);
    r.textList(Key::SkipRegex, &m.rules.skipRegex, Presence::Optional);
    r.integer(Key::SkipReturnCode, &m.rules.skipReturnCode, 0, 255, Presence::Optional);
    int willFail = 0;
    r.integer(Key::WillFail, &willFail, 0, 1, Presence::Optional);
    m.rules.willFail = willFail == 1;
    r.boolean(Key::StopOnFailure, &m.stopOnFailure, Presence::Optional);
    r.boolean(Key::EnvironmentComplete, &m.environmentComplete, Presence::Optional);
    r.text(Key::OutputLog, &m.outputLog, Presence::Optional);
    r.text(Key::Build, &m.build, Presence::Optional);
    r.textList(Key::Launcher, &m.launcher, Presence::Optional);
    if (!r.ok())
        return std::nullopt;
    if (m.executable.isEmpty()) {
        if (error)
            *error = QStringLiteral("RunUnit: field 'exe' is empty");
        return std::nullopt;
    }
    return m;
}

// WorkerSetup

QCborMap WorkerSetup::toCbor() const
{
    QCborMap map;
    map.insert(Key::Id, id);
    map.insert(Key::Count, count);
    if (!setup.isEmpty())
        map.insert(Key::Setup, setup);
    if (!teardown.isEmpty())
        map.insert(Key::Teardown, teardown);
    map.insert(Key::HookTimeout, hookTimeoutSeconds);
    if (keepTmp)
        map.insert(Key::KeepTmp, true);
    if (isolateWorkdir)
        map.insert(Key::IsolateWorkdir, true);
    return map;
}

std::optional<WorkerSetup> WorkerSetup::fromCbor(const QCborMap &map, QString *error)
{
    WorkerSetup m;
    FieldReader r(map, QLatin1String("WorkerSetup"), error);
    r.integer(Key::Count, &m.count, 1, MaxInt);
    r.integer(Key::Id, &m.id, 0, MaxInt);
    r.text(Key::Setup, &m.setup, Presence::Optional);
    r.text(Key::Teardown, &m.teardown, Presence::Optional);
    r.number(Key::HookTimeout, &m.hookTimeoutSeconds, 0);
    r.boolean(Key::KeepTmp, &m.keepTmp, Presence::Optional);
    r.boolean(Key::IsolateWorkdir, &m.isolateWorkdir, Presence::Optional);
    if (!r.ok())
        return std::nullopt;
    return m;
}

// HookFinished

QCborMap HookFinished::toCbor() const
{
    QCborMap map;
    map.insert(Key::Hook, hook);
    map.insert(Key::Ran, ran);
    map.insert(Key::ExitCode, exitCode);
    if (signal != 0)
        map.insert(Key::Signal, signal);
    if (timedOut)
        map.insert(Key::TimedOut, true);
    if (!error.isEmpty())
        map.insert(Key::Error, error);
    if (!output.isEmpty())
        map.insert(Key::Output, output);
    if (!tmpDir.isEmpty())
        map.insert(Key::TmpDir, tmpDir);
    return map;
}

std::optional<HookFinished> HookFinished::fromCbor(const QCborMap &map, QString *error)
{
    HookFinished m;
    FieldReader r(map, QLatin1String("HookFinished"), error);
    r.text(Key::Hook, &m.hook);
    r.boolean(Key::Ran, &m.ran);
    r.integer(Key::ExitCode, &m.exitCode, MinInt, MaxInt);
    r.integer(Key::Signal, &m.signal, 0, MaxInt, Presence::Optional);
    r.boolean(Key::TimedOut, &m.timedOut, Presence::Optional);
    r.text(Key::Error, &m.error, Presence::Optional);
    r.bytes(Key::Output, &m.output, Presence::Optional);
    r.text(Key::TmpDir, &m.tmpDir, Presence::Optional);
    if (!r.ok())
        return std::nullopt;
    if (m.hook != QLatin1String("setup") && m.hook != QLatin1String("teardown")) {
        if (error)
            *error = QStringLiteral("HookFinished: field 'hook' has unknown value '%1'").arg(m.hook);
        return std::nullopt;
    }
    return m;
}

// Ready

QCborMap Ready::toCbor() const
{
    QCborMap map;
    map.insert(Key::Pid, pid);
    map.insert(Key::Host, host);
    if (launch != 0)
        map.insert(Key::Launch, launch);
    return map;
}

std::optional<Ready> Ready::fromCbor(const QCborMap &map, QString *error)
{
    Ready m;
    FieldReader r(map, QLatin1String("Ready"), error);
    r.integer(Key::Pid, &m.pid, 1, MaxInt64);
    r.text(Key::Host, &m.host);
    r.integer(Key::Launch, &m.launch, 1, MaxInt64, Presence::Optional);
    if (!r.ok())
        return std::nullopt;
    return m;
}

// CaseStarted

QCborMap CaseStarted::toCbor() const
{
    QCborMap map;
    map.insert(Key::Unit, unit);
    map.insert(Key::Selector, selector);
    if (at >= 0)
        map.insert(Key::At, at);
    return map;
}

std::optional<CaseStarted> CaseStarted::fromCbor(const QCborMap &map, QString *error)
{
    CaseStarted m;
    FieldReader r(map, QLatin1String("CaseStarted"), error);
    readUnit(r, &m.unit);
    r.text(Key::Selector, &m.selector);
    r.number(Key::At, &m.at, 0, Presence::Optional);
    if (!r.ok())
        return std::nullopt;
    return m;
}

// CaseOutput

QCborMap CaseOutput::toCbor() const
{
    QCborMap map;
    map.insert(Key::Unit, unit);
    map.insert(Key::Selector, selector);
    map.insert(Key::Stream, stream);
    map.insert(Key::Data, data);
    return map;
}

std::optional<CaseOutput> CaseOutput::fromCbor(const QCborMap &map, QString *error)
{
    CaseOutput m;
    FieldReader r(map, QLatin1String("CaseOutput"), error);
    readUnit(r, &m.unit);
    r.text(Key::Selector, &m.selector);
    r.integer(Key::Stream, &m.stream, 1, 2);
    r.bytes(Key::Data, &m.data);
    if (!r.ok())
        return std::nullopt;
    return m;
}

// CaseFinished

QCborMap CaseFinished::toCbor() const
{
    QCborMap map;
    map.insert(Key::Unit, unit);
    map.insert(Key::Selector, selector);
    map.insert(Key::Status, statusName(status));
    map.insert(Key::Seconds, seconds);
    map.insert(Key::Message, message);
    map.insert(Key::File, file);
    map.insert(Key::Line, line);
    map.insert(Key::Signal, signal);
    if (!reason.isEmpty())
        map.insert(Key::Reason, reason);
    if (exitCode)
        map.insert(Key::ExitCode, *exitCode);
    return map;
}

std::optional<CaseFinished> CaseFinished::fromCbor(const QCborMap &map, QString *error)
{
    CaseFinished m;
    FieldReader r(map, QLatin1String("CaseFinished"), error);
    readUnit(r, &m.unit);
    r.text(Key::Selector, &m.selector);
    r.status(Key::Status, &m.status);
    r.number(Key::Seconds, &m.seconds, 0);
    r.text(Key::Message, &m.message, Presence::Optional);
    r.text(Key::File, &m.file, Presence::Optional);
    r.integer(Key::Line, &m.line, 0, MaxInt, Presence::Optional);
    r.integer(Key::Signal, &m.signal, 0, MaxInt, Presence::Optional);
    r.text(Key::Reason, &m.reason, Presence::Optional);
    if (map.contains(Key::ExitCode)) {
        int exitCode = 0;
        r.integer(Key::ExitCode, &exitCode, MinInt, MaxInt);
        m.exitCode = exitCode;
    }
    if (!r.ok())
        return std::nullopt;
    return m;
}

// UnitFinished

QCborMap UnitFinished::toCbor() const
{
    QCborMap map;
    map.insert(Key::Unit, unit);
    map.insert(Key::ExitCode, exitCode);
    map.insert(Key::Signal, signal);
    map.insert(Key::Error, error);
    map.insert(Key::Unreported, QCborArray::fromStringList(unreported));
    map.insert(Key::StoppedEarly, stoppedEarly);
    map.insert(Key::Suspect, suspect);
    map.insert(Key::Unconfirmed, QCborArray::fromStringList(unconfirmed));
    if (!refused.isEmpty())
        map.insert(Key::Refused, refused);
    return map;
}

std::optional<UnitFinished> UnitFinished::fromCbor(const QCborMap &map, QString *error)
{
    UnitFinished m;
    FieldReader r(map, QLatin1String("UnitFinished"), error);
    readUnit(r, &m.unit);
    r.integer(Key::ExitCode, &m.exitCode, MinInt, MaxInt);
    r.integer(Key::Signal, &m.signal, 0, MaxInt, Presence::Optional);
    r.text(Key::Error, &m.error, Presence::Optional);
    r.textList(Key::Unreported, &m.unreported, Presence::Optional);
    r.boolean(Key::StoppedEarly, &m.stoppedEarly, Presence::Optional);
    r.text(Key::Suspect, &m.suspect, Presence::Optional);
    r.textList(Key::Unconfirmed, &m.unconfirmed, Presence::Optional);
    r.text(Key::Refused, &m.refused, Presence::Optional);
    if (!r.ok())
        return std::nullopt;
    return m;
}

// CaseRequest

QCborMap CaseRequest::toCbor() const
{
    QCborMap map;
    map.insert(Key::Executable, executable);
    map.insert(Key::Framework, framework);
    map.insert(Key::GroupBy, groupBy);
    map.insert(Key::Group, group);
    map.insert(Key::Selector, selector);
    map.insert(Key::WorkingDirectory, workingDirectory);
    map.insert(Key::Arguments, QCborArray::fromStringList(extraArguments));
    QCborMap env;
    for (auto it = environment.constBegin(); it != environment.constEnd(); ++it)
        env.insert(it.key(), it.value());
    map.insert(Key::Environment, env);
    map.insert(Key::Timeout, timeoutSeconds);
    map.insert(Key::InvocationPid, invocationPid);
    map.insert(Key::InvocationStart, invocationStart);
    map.insert(Key::InvocationIsCtest, invocationIsCtest);
    if (executableIdentity)
        map.insert(Key::ExecutableIdentity, *executableIdentity);
    if (!launcher.isEmpty())
        map.insert(Key::Launcher, QCborArray::fromStringList(launcher));
    return map;
}

std::optional<CaseRequest> CaseRequest::fromCbor(const QCborMap &map, QString *error)
{
    CaseRequest m;
    FieldReader r(map, QLatin1String("CaseRequest"), error);
    r.text(Key::Executable, &m.executable);
    r.text(Key::Framework, &m.framework);
    r.text(Key::GroupBy, &m.groupBy);
    r.text(Key::Group, &m.group);
    r.text(Key::Selector, &m.selector);
    r.text(Key::WorkingDirectory, &m.workingDirectory, Presence::Optional);
    r.textList(Key::Arguments, &m.extraArguments, Presence::Optional);
    r.textMap(Key::Environment, &m.environment, Presence::Optional);
    r.number(Key::Timeout, &m.timeoutSeconds, 0);
    r.integer(Key::InvocationPid, &m.invocationPid, 1, MaxInt64);
    r.integer(Key::InvocationStart, &m.invocationStart, 0, MaxInt64);
    r.boolean(Key::InvocationIsCtest, &m.invocationIsCtest);
    r.textList(Key::Launcher, &m.launcher, Presence::Optional);
    if (map.contains(Key::ExecutableIdentity)) {
        QString identity;
        r.text(Key::ExecutableIdentity, &identity, Presence::Optional);
        m.executableIdentity = identity;
    }
    if (!r.ok())
        return std::nullopt;
    if (m.executable.isEmpty() || m.selector.isEmpty()) {
        if (error)
            *error = QStringLiteral("CaseRequest: fields 'exe' and 'selector' must not be empty");
        return std::nullopt;
    }
    return m;
}

// CaseAnswer

QCborMap CaseAnswer::toCbor() const
{
    QCborMap map;
    map.insert(Key::Selector, selector);
    map.insert(Key::Status, statusName(status));
    map.insert(Key::Seconds, seconds);
    map.insert(Key::Message, message);
    map.insert(Key::Reason, reason);
    map.insert(Key::Signal, signal);
    map.insert(Key::Output, output);
    map.insert(Key::ExitCode, exitCode);
    map.insert(Key::Note, note);
    return map;
}

std::optional<CaseAnswer> CaseAnswer::fromCbor(const QCborMap &map, QString *error)
{
    CaseAnswer m;
    FieldReader r(map, QLatin1String("CaseAnswer"), error);
    r.text(Key::Selector, &m.selector);
    r.status(Key::Status, &m.status);
    r.number(Key::Seconds, &m.seconds, 0);
    r.text(Key::Message, &m.message, Presence::Optional);
    r.text(Key::Reason, &m.reason, Presence::Optional);
    r.integer(Key::Signal, &m.signal, 0, MaxInt, Presence::Optional);
    r.bytes(Key::Output, &m.output, Presence::Optional);
    r.integer(Key::ExitCode, &m.exitCode, 0, 255);
    r.text(Key::Note, &m.note, Presence::Optional);
    if (!r.ok())
        return std::nullopt;
    return m;
}

namespace {
template<typename Struct> std::optional<Fields> decodeAs(const QCborMap &body, QString *error)
{
    std::optional<Struct> decoded = Struct::fromCbor(body, error);
    if (!decoded)
        return std::nullopt;
    return Fields(std::move(*decoded));
}
} // namespace

std::optional<Fields> decodeFields(MessageType type, const QCborMap &body, QString *error)
{
    switch (type) {
    case MessageType::RunUnit:
        return decodeAs<RunUnit>(body, error);
    case MessageType::Ready:
        return decodeAs<Ready>(body, error);
    case MessageType::CaseStarted:
        return decodeAs<CaseStarted>(body, error);
    case MessageType::CaseOutput:
        return decodeAs<CaseOutput>(body, error);
    case MessageType::CaseFinished:
        return decodeAs<CaseFinished>(body, error);
    case MessageType::UnitFinished:
        return decodeAs<UnitFinished>(body, error);
    case MessageType::CaseRequest:
        return decodeAs<CaseRequest>(body, error);
    case MessageType::CaseAnswer:
        return decodeAs<CaseAnswer>(body, error);
    case MessageType::WorkerSetup:
        return decodeAs<WorkerSetup>(body, error);
    case MessageType::HookFinished:
        return decodeAs<HookFinished>(body, error);
    case MessageType::Shutdown: // no fields
    case MessageType::Ping:
    case MessageType::Pong:
    case MessageType::CaseAccepted:
        return Fields();
    case MessageType::Challenge:
    case MessageType::Response:
    case MessageType::Welcome:
    case MessageType::Refused:
        break;
    }
    *error = QStringLiteral("%1 is a handshake message").arg(messageTypeName(type));
    return std::nullopt;
}

} // namespace ctestd::protocol
