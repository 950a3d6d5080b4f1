// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "protocol/messages.h"

#include <QProcess>
#include <QTimer>

namespace ctestd {

// Runs one worker hook (--worker-setup, --worker-teardown): a shell command,
// `/bin/sh -c`, with the worker's environment, in its own process group so
// that a timeout takes down what it started. Its stdout and stderr are kept
// merged, capped, for the daemon to show. finished() comes exactly once.
class HookRunner : public QObject {
    Q_OBJECT
public:
    explicit HookRunner(QObject *parent = nullptr);
    ~HookRunner() override;

    // `hook`: "setup" or "teardown", as HookFinished names it.
    void start(const QString &hook, const QString &command, const QProcessEnvironment &environment,
        const QString &workingDirectory, double timeoutSeconds);

    // Output beyond this is dropped, with a note: a hook is not a test, and
    // its output goes into one message.
    static constexpr int OutputCap = 64 * 1024;

Q_SIGNALS:
    void finished(const ctestd::protocol::HookFinished &result);

private:
    void finish();

    QProcess *m_process = nullptr;
    QTimer m_timer;
    protocol::HookFinished m_result;
    qint64 m_dropped = 0;
    bool m_done = false;
};

} // namespace ctestd
