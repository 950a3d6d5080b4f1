// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "core/testmodel.h"
#include "servelock.h"
#include "servicelocation.h"

#include <QFile>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

namespace ctestd {

class RunController;
namespace protocol {
class Connection;
class Server;
struct CaseRequest;
struct Message;
} // namespace protocol

// `ctestd serve`: the daemon of one build tree for ctest-driven runs. Each
// CTest test registered by ctestd_discover_tests() runs `ctestd case`, which
// asks this daemon for its case; the daemon runs the case's whole fixture
// group once (a RunController restricted to that group) and answers every
// case of the group from that run, including clients that ask while it runs.
// Results live for one session (`ctestd session open` .. `close`, a CTest
// fixture around the tests), so nothing is reused across ctest invocations,
// and belong to one build of the executable (its device, inode, size and
// mtime when the client asked): a rebuilt executable is run afresh.
// The daemon exits when it has been idle for a while, and soon after a
// session closes.
class CaseService : public QObject {
    Q_OBJECT
public:
    CaseService(
        const ServiceLocation &location, const QString &workerProgram, QIODevice *err, QObject *parent = nullptr);
    ~CaseService() override;

    // Takes the tree's daemon lock, writes a fresh key and listens. False
    // with `alreadyRunning` set when another daemon serves the tree.
    [[nodiscard]] bool start(bool *alreadyRunning, QString *error);

Q_SIGNALS:
    void finished(int exitCode);

private:
    struct Waiter {
        QPointer<protocol::Connection> client;
        QString selector;
        QString group; // the run that will answer it
    };

    void adopt(protocol::Connection *client);
    void handleMessage(protocol::Connection *client, const protocol::Message &message);
    void request(protocol::Connection *client, const protocol::CaseRequest &request);
    void caseCompleted(const QString &run, const TestCase &testCase, const CaseResult &result);
    void groupFinished(const QString &group);
    void answer(protocol::Connection *client, const QString &selector, const CaseResult &result);
    void scheduleIdleExit();
    void abandonUnwaitedRuns();

    ServiceLocation m_location;
    QString m_workerProgram;
    QIODevice *m_err;
    QFile m_discard;
    ServeLock m_lock;
    protocol::Server *m_server = nullptr;
    QSet<protocol::Connection *> m_clients;
    QHash<QString, CaseResult> m_results; // run \x1d selector, this session
    QHash<QString, QVector<Waiter>> m_waiters; // same key
    QHash<QString, RunController *> m_running; // by group run key
    QHash<QString, CaseResult> m_runErrors; // why a run could not list its executable
    qint64 m_generation = 0;
    bool m_sessionClosed = false;
    QTimer m_idleTimer;
};

} // namespace ctestd
