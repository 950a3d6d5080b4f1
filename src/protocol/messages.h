// SPDX-License-Identifier: BSD-3-Clause
#pragma once

// The messages of ctestd's daemon <-> worker protocol, as described in
// src/PROTOCOL.md. Each message is a CBOR map in one frame (frame.h);
// fromCbor() validates every field and says which one is wrong.

#include "model/defaults.h"
#include "model/testmodel.h"

#include <QCborMap>
#include <QHash>
#include <QMetaType>
#include <QStringList>

#include <optional>
#include <variant>

namespace ctestd::protocol {

enum class MessageType : quint8 {
    // Handshake (handshake.h)
    Challenge = 1, // daemon -> worker
    Response = 2, // worker -> daemon
    Welcome = 3, // daemon -> worker
    Refused = 4, // daemon -> worker, then the daemon closes
    // daemon -> worker
    RunUnit = 10,
    Shutdown = 11,
    Ping = 12, // the daemon's heartbeat; the worker answers Pong at once
    WorkerSetup = 13, // after Ready: the worker's id, scratch space and hooks
    // worker -> daemon
    Ready = 20,
    CaseStarted = 21,
    CaseOutput = 22,
    CaseFinished = 23,
    // 24 was CaseDetail (a report's message after the process exited); the
    // report is read before CaseFinished now. Unknown, like any unused value.
    UnitFinished = 25,
    Pong = 26,
    HookFinished = 27, // the answer to WorkerSetup; after Shutdown, the teardown's
    // client (`ctestd case`) -> daemon (`ctestd serve`)
    CaseRequest = 30,
    // 31 and 32 were SessionOpen and SessionClose, 41 SessionAck: the ctest
    // invocation is now told by the ctest process the clients share.
    // daemon (`ctestd serve`) -> client
    CaseAnswer = 40,
    // The request is the daemon's now: a connection closed before this came
    // was never served (the daemon was going idle), so the client asks again.
    CaseAccepted = 42,
};

QString messageTypeName(MessageType type);
bool isKnownMessageType(quint8 value);

// daemon -> worker: run exactly these cases of one executable in one process.
struct RunUnit {
    qint64 unit = 0; // dispatch id, unique per run; every reply names it
    QString executable;
    QString framework; // adapter name, "gtest"
    QStringList selectors; // the cases, as the framework selects them
    // Display names of cases whose selector is not how people know them
    // (doctest's selectors carry filters), for the worker's own messages.
    QHash<QString, QString> names;
    QStringList extraArguments;
    QString workingDirectory; // empty: the worker's own
    QHash<QString, QString> environment; // added to the worker's environment
    // The environment above is the whole of it, not an addition: the case
    // gets its ctest client's environment, not the daemon's.
    bool environmentComplete = false;
    double timeoutSeconds = defaults::CaseTimeoutSeconds; // per case; 0 = none
    qint64 outputCap = defaults::CaseOutputBytes; // bytes of output kept per case and stream
    ResultRules rules; // plain tests: how the exit becomes a status (ctest's rules)
    // --stop-on-failure: the process stops at its first failure where the
    // framework can (FrameworkAdapter::stopOnFailureArguments); the cases it
    // then does not run are left unreported.
    bool stopOnFailure = false;
    // --archive: a file the worker writes the test process's whole output
    // to, uncapped, for the bundle; empty: none.
    QString outputLog;
    // The executable's buildIdentity() as the coordinator listed it, for a
    // worker on another host to check before it runs anything; empty: no
    // check (a local worker runs the very file).
    QString build;
    // --launcher: the process runs as these words followed by the
    // executable and its arguments (valgrind, qemu-arm); empty: none.
    QStringList launcher;
    QCborMap toCbor() const;
    static std::optional<RunUnit> fromCbor(const QCborMap &map, QString *error);
};

// daemon -> worker, after its Ready, and again when a later run takes the
// worker from the daemon's reserve: who the worker is in this run, and what
// runs around its life (README, "Workers"). The worker answers with a
// HookFinished for its setup before it is given a unit.
struct WorkerSetup {
    int id = 0; // CTESTD_WORKER_ID, 0 to count - 1; a replacement gets the id of the worker it replaces
    int count = 1; // CTESTD_WORKER_COUNT
    QString setup; // --worker-setup: a shell command run once in the worker's life; empty: none
    QString teardown; // --worker-teardown: run once after the last unit, on Shutdown
    double hookTimeoutSeconds = defaults::HookTimeoutSeconds;
    bool keepTmp = false; // --keep-tmp: the worker's TMPDIR outlives it
    bool isolateWorkdir = false; // --isolate-workdir: tests run in a fresh directory of the worker's
    QCborMap toCbor() const;
    static std::optional<WorkerSetup> fromCbor(const QCborMap &map, QString *error);
};

// worker -> daemon: how a worker hook ended (or that there was none to run).
struct HookFinished {
    QString hook; // "setup" or "teardown"
    bool ran = false; // false: no command was given, or the setup ran earlier in this worker's life
    int exitCode = 0;
    int signal = 0; // non-zero when it died from a signal
    bool timedOut = false;
    QString error; // it could not start; empty otherwise
    QByteArray output; // its stdout and stderr, merged and capped
    QString tmpDir; // the worker's TMPDIR
    bool failed() const { return !error.isEmpty() || timedOut || signal != 0 || exitCode != 0; }
    QCborMap toCbor() const;
    static std::optional<HookFinished> fromCbor(const QCborMap &map, QString *error);
};

// worker -> daemon: the worker is connected and idle.
struct Ready {
    qint64 pid = 0;
    QString host;
    qint64 launch = 0; // the daemon's --launch-id for this worker; 0: started by hand
    QCborMap toCbor() const;
    static std::optional<Ready> fromCbor(const QCborMap &map, QString *error);
};

struct CaseStarted {
    qint64 unit = 0;
    QString selector;
    // Seconds from the worker's receipt of RunUnit to the case's start, by
    // the worker's clock; negative when not sent. The worker batches its
    // events, so when this arrives says less than this does.
    double at = -1;
    QCborMap toCbor() const;
    static std::optional<CaseStarted> fromCbor(const QCborMap &map, QString *error);
};

// Output of the case's process while the case ran. Chunks arrive in order.
struct CaseOutput {
    qint64 unit = 0;
    QString selector;
    int stream = 1; // 1 = stdout, 2 = stderr
    QByteArray data;
    QCborMap toCbor() const;
    static std::optional<CaseOutput> fromCbor(const QCborMap &map, QString *error);
};

struct CaseFinished {
    qint64 unit = 0;
    QString selector;
    Status status = Status::Passed;
    double seconds = 0;
    QString message;
    QString file;
    int line = 0;
    int signal = 0;
    QString reason; // ctest's text after "***Failed  " (a regex verdict)
    // A plain test's process exit code, when it exited (no signal, no
    // timeout); a framework's case has none of its own.
    std::optional<int> exitCode;
    QCborMap toCbor() const;
    static std::optional<CaseFinished> fromCbor(const QCborMap &map, QString *error);
};

// The unit's process is gone. `unreported` are the requested cases that got no
// CaseFinished; the daemon decides whether they run again.
struct UnitFinished {
    qint64 unit = 0;
    int exitCode = 0;
    int signal = 0; // non-zero when the process died from a signal
    QString error; // failed to start, protocol trouble, ...; empty when it ran
    QStringList unreported;
    // The process ended before the framework's normal end (a crash, a
    // timeout, an exit() in a test): the worker blamed a case, and the
    // unreported cases deserve a run in a fresh process.
    bool stoppedEarly = false;
    // One of `unreported`, set when the process died between cases just
    // after this one's result markers, with no report to confirm them: the
    // death is this case's or the next one's. The daemon runs it alone, so
    // that its own process settles which (PROTOCOL.md, "Blame").
    QString suspect;
    // Cases the stream showed passed or skipped in a process whose exit
    // status says something failed, with no report to tell which: their
    // results are withheld, and the daemon runs them again, where a clean
    // exit confirms them (PROTOCOL.md, "Verdicts"). Not in `unreported`.
    QStringList unconfirmed;
    // The worker ran nothing: the executable here is not the `build` the
    // coordinator listed, or is missing. One line saying so; the daemon
    // stops using the host and runs the unit elsewhere.
    QString refused;
    QCborMap toCbor() const;
    static std::optional<UnitFinished> fromCbor(const QCborMap &map, QString *error);
};

// client -> serve: the result of one case, run with its whole fixture group.
struct CaseRequest {
    QString executable;
    QString framework;
    QString groupBy; // "case", "suite", "executable"
    QString group; // the fixture group key within the executable (ctestd list --json)
    QString selector;
    QString workingDirectory;
    QStringList extraArguments;
    // The client's environment: ctest sets a test's ENVIRONMENT on the client,
    // and the group runs with the first asking client's.
    QHash<QString, QString> environment;
    double timeoutSeconds = defaults::CaseTimeoutSeconds; // per case; 0 = none
    // The ctest invocation asking (InvocationId): results and runs belong
    // to it, and a case asked for again in it is a new attempt.
    qint64 invocationPid = 0;
    qint64 invocationStart = 0; // the process's start time, clock ticks
    bool invocationIsCtest = false; // false: the client itself (no ctest)
    // The executable's build as the client found it when it started
    // (executableIdentity()); empty when it could not be read. Only a run of
    // this build answers the case. Missing from an older client, which the
    // daemon then asks to be rebuilt.
    std::optional<QString> executableIdentity;
    // `ctestd case --launcher`: the target's TEST_LAUNCHER and
    // CROSSCOMPILING_EMULATOR (ctestd_discover_tests), after the daemon's own
    // --launcher; empty: only the daemon's.
    QStringList launcher;
    QCborMap toCbor() const;
    static std::optional<CaseRequest> fromCbor(const QCborMap &map, QString *error);
};

// The exit code of a skipped case's client; ctestd_discover_tests registers
// it as the tests' SKIP_RETURN_CODE.
constexpr int CaseSkipExitCode = defaults::SkipExitCode;

// serve -> client: the case's final result and its output.
struct CaseAnswer {
    QString selector;
    Status status = Status::Passed;
    double seconds = 0;
    QString message;
    QString reason;
    int signal = 0;
    QByteArray output;
    // What the client does with it, decided here so that a client needs
    // to know nothing of statuses: its exit code (0 passed, 77 skipped, 1
    // anything else) and the line it prints on stderr (empty: none).
    int exitCode = 1;
    QString note;
    QCborMap toCbor() const;
    static std::optional<CaseAnswer> fromCbor(const QCborMap &map, QString *error);
};

// A message's fields as its typed struct: monostate for a message without
// fields (Shutdown, CaseAccepted).
using Fields = std::variant<std::monostate, RunUnit, Ready, CaseStarted, CaseOutput, CaseFinished, UnitFinished,
    CaseRequest, CaseAnswer, WorkerSetup, HookFinished>;

// The fields of a message after the handshake, decoded by its type; nullopt
// with `error` set for a handshake message or a field that is missing or
// wrong.
std::optional<Fields> decodeFields(MessageType type, const QCborMap &body, QString *error);

// A frame's message: its type and CBOR body, as sent. A received message
// also has its fields, decoded once by the Connection that read it, which
// refuses a message whose fields do not decode: receivers take them with
// std::get_if and never decode again.
struct Message {
    Message() = default;
    Message(MessageType messageType, QCborMap messageBody)
        : type(messageType)
        , body(std::move(messageBody))
    { }

    MessageType type = MessageType::Ready;
    QCborMap body;
    Fields fields;
};

} // namespace ctestd::protocol

// For queued connections of Connection::messageReceived().
Q_DECLARE_METATYPE(ctestd::protocol::Message)
