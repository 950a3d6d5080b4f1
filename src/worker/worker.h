// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "protocol/messages.h"
#include "workerspace.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace ctestd {
namespace protocol {
class Connection;
struct Message;
} // namespace protocol
class HookRunner;
class UnitRunner;

// `ctestd worker --connect ADDRESS`: connects back to the daemon, proves it
// holds the run's key, learns who it is (WorkerSetup: its id, its own
// directory, its setup hook), then runs the units it is sent, one at a time,
// until the daemon says Shutdown or goes away. When the daemon goes away the
// running test's process group is killed with it: a worker never outlives its
// run. Its teardown hook runs on the way out, whatever the way.
class Worker : public QObject {
    Q_OBJECT
public:
    // `launchId`: the pool's --launch-id, said back in Ready; 0: started by hand.
    Worker(const QString &address, const QByteArray &key, qint64 launchId = 0, QObject *parent = nullptr);
    ~Worker() override;

    // With a daemon on another host, a link that goes down closes nothing:
    // a worker that hears nothing (not even the daemon's Ping) for this
    // long stops, killing its test, as it would if the daemon went away.
    // 0: never (a local daemon's end is seen at once).
    void setSilenceLimit(int ms) { m_silenceLimitMs = ms; }

    [[nodiscard]] bool start(QString *error);

Q_SIGNALS:
    void done(int exitCode);

private:
    bool connectToDaemon(QString *error);
    void handleMessage(const protocol::Message &message);
    void handleSetup(const protocol::WorkerSetup &setup);
    void runUnit(const protocol::RunUnit &unit);
    void sendHookResult(const protocol::HookFinished &result);
    QProcessEnvironment hookEnvironment() const; // the worker's, with its id and TMPDIR
    // Stops the running test, runs the teardown hook if one is due, then
    // finishStop().
    void stop(int exitCode, const QString &reason);
    void finishStop(int exitCode);

    QString m_address;
    QByteArray m_key;
    qint64 m_launchId = 0;
    protocol::Connection *m_connection = nullptr;
    QPointer<UnitRunner> m_runner;
    QPointer<HookRunner> m_hook; // a hook now running
    WorkerSpace m_space;
    protocol::WorkerSetup m_setup;
    bool m_toldWhoItIs = false; // a WorkerSetup came
    bool m_setupRan = false;
    bool m_stopped = false;
    int m_silenceLimitMs = 0;
    int m_connectAttempts = 0;
    QTimer m_silence;
};

} // namespace ctestd
