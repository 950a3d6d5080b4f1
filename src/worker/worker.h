// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace ctestd {
namespace protocol {
class Connection;
struct Message;
} // namespace protocol
class UnitRunner;

// `ctestd worker --connect ADDRESS`: connects back to the daemon, proves it
// holds the run's key, then runs the units it is sent, one at a time, until the
// daemon says Shutdown or goes away. When the daemon goes away the running
// test's process group is killed with it: a worker never outlives its run.
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
    void stop(int exitCode, const QString &reason);

    QString m_address;
    QByteArray m_key;
    qint64 m_launchId = 0;
    protocol::Connection *m_connection = nullptr;
    QPointer<UnitRunner> m_runner;
    bool m_stopped = false;
    int m_silenceLimitMs = 0;
    int m_connectAttempts = 0;
    QTimer m_silence;
};

} // namespace ctestd
