// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "protocol/messages.h"

#include <QHash>
#include <QObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTimer>

#include <memory>

class QSocketNotifier;

namespace ctestd {

// The ctest invocation a `ctestd case` client belongs to: the nearest ctest
// process among its ancestors (so a wrapper between ctest and the client,
// such as a TEST_LAUNCHER or `sh -c`, changes nothing), or the client
// itself when no ctest started it (run by hand, or by a tool without ctest).
// Every test ctest starts is its child or grandchild, so all the clients of
// one invocation name the same process, and the next invocation names
// another: that replaces a session fixture around the tests.
struct InvocationId {
    qint64 pid = 0;
    // The process's start time (/proc/<pid>/stat, field 22, in clock ticks
    // since boot): a PID can be reused, the pair cannot.
    qint64 startTicks = 0;
    bool ctest = false; // pid is a ctest process, not the client itself

    QString key() const;
};

InvocationId currentInvocation();

// What tells one build of an executable from another: device, inode, size
// and modification time to the nanosecond ("dev:ino:size:sec.nsec"). A
// rebuild (even one that writes the same size in the same second, or
// replaces the file by a rename) changes it. Empty when the file cannot be
// read. The light client (module/ctestd_case_client.c) writes the same.
QString executableIdentity(const QString &path);

// The start time of a process in clock ticks since boot, or -1 when there
// is no such process.
qint64 processStartTicks(qint64 pid);

// The case a registered test asks for, without the invocation: what the
// test's command line says. Two tests of one ctest invocation with the same
// group key can share a process.
QString caseGroupKey(const protocol::CaseRequest &request);

// Tells when a process has ended: a pidfd in the event loop, so the daemon
// learns at once that a ctest invocation is over, without polling.
class ProcessEndWatcher : public QObject {
    Q_OBJECT
public:
    // Emits ended() (queued) at once when the process is already gone or
    // its PID now belongs to another process.
    ProcessEndWatcher(qint64 pid, qint64 startTicks, QObject *parent = nullptr);
    ~ProcessEndWatcher() override;

Q_SIGNALS:
    void ended();

private:
    void check();

    qint64 m_pid;
    qint64 m_startTicks;
    int m_pidfd = -1;
    QSocketNotifier *m_notifier = nullptr;
    QTimer m_poll; // without pidfd_open() (kernels before 5.3)
    bool m_ended = false;
};

// What a ctest invocation selected of this build tree.
struct CtestSelection {
    QHash<QString, QSet<QString>> groups; // caseGroupKey() -> selectors
    // The groups the daemon may run before a client asks, in ctest's listing
    // order, each as its first listed case's request (without environment
    // and directory, which only a client knows). Not among them: groups
    // with a case that ctest orders against other tests (DEPENDS, fixtures,
    // RESOURCE_LOCK, RUN_SERIAL, PROCESSORS, RESOURCE_GROUPS), since ctest
    // may run those later or not at all; groups whose tests ctest starts
    // with different environments or directories; and none under
    // --stop-on-failure.
    QVector<protocol::CaseRequest> ahead;
    // Group key -> how ctest starts the group's tests (their ENVIRONMENT,
    // ENVIRONMENT_MODIFICATION and WORKING_DIRECTORY, and the registered
    // --working-directory), for the groups in `ahead`: a group run ahead
    // takes the environment and directory of a client with the same.
    QHash<QString, QString> launches;
    int parallel = 1; // how many tests ctest runs at once (-j)
    // Group key + '\x1d' + selector -> the ctest test's name and its place
    // (1-based) in ctest's listing: a bundle names cases as ctest does.
    QHash<QString, QPair<QString, int>> tests;
    // The selected tests ctest does not run (DISABLED), with their program.
    struct DisabledTest {
        QString name;
        QString executable;
        int position = 0;
    };
    QVector<DisabledTest> disabled;
};

// How many tests a ctest command line runs at once: -j N, --parallel N, or
// CTEST_PARALLEL_LEVEL from its environment; -j without a number is one per
// CPU. At least 1.
int ctestParallelLevel(const QStringList &ctestArguments, const QString &environmentLevel);

// Which of this build tree's registered cases a ctest invocation selected.
// ctest tells no test what else it runs, but its command line and working
// directory are readable: the same ctest, asked with the same selection
// options and --show-only=json-v1, lists the tests this invocation runs
// (fixtures pulled in by -R included). Only options known to select or to
// be harmless are passed on; anything else (a dashboard script, a preset, an
// option of a newer ctest) leaves the selection unknown, and then each case
// runs on its own: exact, only slower.
//
// That ctest runs in a scratch tree of its own whose CTestTestfile.cmake
// only names the real one (subdirs()), since even --show-only rewrites
// <tree>/Testing/Temporary/LastTest.log, which would truncate the log of
// the ctest that is running there.
class InvocationSelection : public QObject {
    Q_OBJECT
public:
    InvocationSelection(
        qint64 ctestPid, const QString &buildDirectory, const QString &scratchParent, QObject *parent = nullptr);

    void start();

Q_SIGNALS:
    // `why`: non-empty when the selection is unknown.
    void finished(bool known, const ctestd::CtestSelection &selection, const QString &why);

private:
    void fail(const QString &why);

    qint64 m_pid;
    QString m_buildDirectory;
    QString m_scratchParent;
    std::unique_ptr<QTemporaryDir> m_scratch; // removed with this object
    QProcess m_process;
    QTimer m_timer;
    int m_parallel = 1;
    bool m_stopOnFailure = false;
    bool m_done = false;
};

// The arguments of a ctest command line that decide which tests it runs, in
// a form `ctest <them> --show-only=json-v1` takes. Empty `unsupported` on
// success; otherwise it names the argument that cannot be reproduced.
QStringList ctestSelectionArguments(const QStringList &ctestArguments, QString *unsupported);

// The directory a running ctest tests, in buildDirectory (the tree, or a
// directory of it): that of the Testing/Temporary/LastTest.log.tmp it keeps
// open; empty when it holds none there.
QString ctestTestDirectory(qint64 pid, const QString &buildDirectory);

// The cases of this build tree (--build-dir) a `ctest --show-only=json-v1`
// document lists, as InvocationSelection::finished() gives them: `groups`
// and `ahead` are filled, `parallel` is left alone.
[[nodiscard]] bool parseSelectedCases(
    const QByteArray &json, const QString &buildDirectory, CtestSelection *selection, QString *error);

} // namespace ctestd
