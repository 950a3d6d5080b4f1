// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "protocol/messages.h"
#include "servicelocation.h"

#include <QElapsedTimer>
#include <QObject>

class QIODevice;

namespace ctestd {

namespace protocol {
class Connection;
}

// The client side of `ctestd serve`: `ctestd case`, one CTest test = one
// case. It finds the build tree's daemon, starting one if none runs (a lock makes
// two clients that start at once end with one daemon), sends its request and
// turns the answer into output and an exit code CTest understands.
class CaseClient : public QObject {
    Q_OBJECT
public:
    CaseClient(const ServiceLocation &location, const protocol::CaseRequest &request, const QString &selfProgram,
        QIODevice *out, QIODevice *err, QObject *parent = nullptr);

    void start();

Q_SIGNALS:
    void done(int exitCode);

private:
    bool ensureDaemon(QString *error);
    // Under a debugger or tracer, or with CTESTD_DIRECT=1 (valgrind, rr,
    // perf, ctest -T memcheck): the case runs in this process, by exec.
    static bool runsDirectly();
    void execDirectly();
    void connectToDaemon();
    void connected();
    // Before the handshake succeeded nothing was asked, so a refused or
    // closed connection is tried again while there is time: false when not.
    bool retryBeforeAsking();
    void handleMessage(const protocol::Message &message);
    void fail(const QString &message);
    QString daemonLostMessage(const QString &reason) const;

    ServiceLocation m_location;
    protocol::CaseRequest m_request;
    QString m_selfProgram;
    QIODevice *m_out;
    QIODevice *m_err;
    protocol::Connection *m_connection = nullptr;
    QElapsedTimer m_clock;
    bool m_done = false;
    bool m_wasConnected = false; // this connection's handshake succeeded
    bool m_accepted = false; // the daemon took the request (CaseAccepted): no more retries
};

} // namespace ctestd
