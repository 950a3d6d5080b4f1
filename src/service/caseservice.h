// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "invocation.h"
#include "invocationbundle.h"
#include "listingcache.h"
#include "model/testmodel.h"
#include "runner/runoptions.h"
#include "runner/workerids.h"
#include "servelock.h"
#include "servicelocation.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <memory>

namespace ctestd {

class RunController;
class WorkerReserve;
namespace protocol {
class Connection;
class Server;
struct CaseRequest;
struct Message;
} // namespace protocol

// `ctestd serve`: the daemon of one build tree for ctest-driven runs. Each
// CTest test registered by ctestd_discover_tests() runs `ctestd case`, which
// asks this daemon for its case on behalf of its ctest invocation (the ctest
// process the clients share, see InvocationId).
//
// The daemon learns which of the tree's cases that invocation selected (see
// InvocationSelection) and runs the selected cases of a fixture group once,
// in one process (a RunController restricted to them), answering each of
// them from that run: `ctest -R one` runs that case with its fixture and
// nothing more. A case asked for again in the same invocation (`ctest
// --repeat`) is a new attempt: it runs again, on its own. While ctest's -j
// slots wait on one group, the next selected groups run ahead of their
// clients (CtestSelection::ahead), up to -j runs at once. Results and runs
// belong to their invocation and end with it (its process exits), and to one
// build of the executable (its device, inode, size and modification time when
// the client asked): a rebuilt executable is run afresh. Each run gets the
// environment and working directory of its client.
//
// Across invocations it keeps only what does not depend on them: each
// executable's listing per build (ListingCache) and idle workers
// (WorkerReserve), so that a group's run costs one test process.
//
// The daemon exits when it has been idle for a while.
class CaseService : public QObject {
    Q_OBJECT
public:
    CaseService(
        const ServiceLocation &location, const QString &workerProgram, QIODevice *err, QObject *parent = nullptr);
    ~CaseService() override;

    // Takes the tree's daemon lock, writes a fresh key and listens. False
    // with `alreadyRunning` set when another daemon serves the tree.
    [[nodiscard]] bool start(bool *alreadyRunning, QString *error);

    // What every run's workers get from the daemon's own settings (its
    // command line, CTESTD_* variables, the tree's ctestd.ini): hooks,
    // --keep-tmp, --isolate-workdir, --launcher. Before start().
    void setWorkerOptions(const RunOptions &options);

Q_SIGNALS:
    void finished(int exitCode);

private:
    // One run of the daemon: which ctest invocation it is for, how its
    // process starts, and which of the group's cases it runs.
    struct RunKey {
        QString invocation; // InvocationId::key()
        // The group, the executable's build, the directory, the environment.
        QString launch;
        // Empty: the cases of the group the invocation selected. Else one
        // case asked for again (ctest --repeat) or outside the selection,
        // and its how-manieth time.
        QString alone;
        int attempt = 0;

        bool operator==(const RunKey &other) const
        {
            return invocation == other.invocation && launch == other.launch && alone == other.alone
                && attempt == other.attempt;
        }
        friend uint qHash(const RunKey &key, uint seed = 0)
        {
            QtPrivate::QHashCombine combine;
            return combine(combine(combine(combine(seed, key.invocation), key.launch), key.alone), key.attempt);
        }
    };

    // A client waiting on a run (m_waiters is keyed by the run).
    struct Waiter {
        QPointer<protocol::Connection> client;
        QString selector;
    };
    struct PendingRequest {
        QPointer<protocol::Connection> client;
        protocol::CaseRequest request;
    };
    struct Invocation {
        InvocationId id;
        ProcessEndWatcher *watcher = nullptr;
        InvocationSelection *learning = nullptr; // while the selection is being learned
        int selectionAttempts = 0;
        bool selectionKnown = false;
        CtestSelection selection;
        QVector<PendingRequest> pending; // until the selection is known
        QHash<QString, int> asked; // group key + selector -> requests so far
        QSet<RunKey> runs; // running or finished
        // The first request of each launch (CtestSelection::launches): the
        // environment and directory a group run ahead of its clients gets.
        QHash<QString, protocol::CaseRequest> firstRequests;
        QSet<QString> aheadTried; // group keys of selection.ahead considered
        // CTESTD_ARCHIVE: the invocation's bundle, written when it ends.
        std::shared_ptr<InvocationBundle> bundle;
        QHash<QString, QString> groupOfLaunch; // RunKey::launch -> group key
    };

    void adopt(protocol::Connection *client);
    void handleMessage(protocol::Connection *client, const protocol::Message &message);
    void request(protocol::Connection *client, const protocol::CaseRequest &request);
    void dispatch(Invocation &invocation, protocol::Connection *client, const protocol::CaseRequest &request);
    void startRun(const RunKey &run, const protocol::CaseRequest &request, const QString &identity,
        const QSet<QString> &selectors);
    void startController(const RunKey &run, const protocol::CaseRequest &request, const QSet<QString> &selectors,
        const DiscoveredExecutable &listed);
    void learnSelection(Invocation &invocation);
    void selectionLearned(const QString &invocation, bool known, const CtestSelection &selection, const QString &why);
    RunKey runKey(const Invocation &invocation, const protocol::CaseRequest &request, const QString &identity) const;
    void runAhead(Invocation &invocation);
    void invocationEnded(const QString &invocation);
    void caseCompleted(const RunKey &run, const TestCase &testCase, const CaseResult &result);
    void groupFinished(const RunKey &run);
    void answer(protocol::Connection *client, const QString &selector, const CaseResult &result);
    void scheduleIdleExit();
    static QString bundleRunId(const RunKey &run);

    ServiceLocation m_location;
    QString m_workerProgram;
    QIODevice *m_err;
    ServeLock m_lock;
    protocol::Server *m_server = nullptr;
    QSet<protocol::Connection *> m_clients;
    QHash<QString, Invocation> m_invocations; // by InvocationId::key()
    QHash<RunKey, QHash<QString, CaseResult>> m_results; // selector -> result, by run
    QHash<RunKey, QVector<Waiter>> m_waiters; // by run
    QHash<RunKey, RunController *> m_running; // by run; null while its executable is listed
    ListingCache m_listings;
    WorkerReserve *m_workers; // idle workers, reused by the next runs
    // CTESTD_WORKER_ID for all runs at once: two groups that run at the
    // same time never see one id.
    WorkerIds m_workerIds;
    RunOptions m_workerOptions; // see setWorkerOptions()
    QHash<RunKey, CaseResult> m_runErrors; // why a run could not list its executable
    QTimer m_idleTimer;
};

} // namespace ctestd
