// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "frameworks/adapter.h"
#include "protocol/messages.h"
#include "testprocess.h"
#include "workerspace.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QSet>
#include <QTemporaryDir>
#include <QTimer>

#include <memory>
#include <optional>

namespace ctestd {

// Runs one unit (RunUnit) in one test process and turns what the process does
// into the protocol's per-case events, emitted through messages(): CaseStarted
// and CaseOutput* live, as the stream shows each case start and print (at most
// SendIntervalMs late); then, once the process has exited, CaseFinished for
// every case and UnitFinished, at once.
//
// Verdicts wait for the exit because the stream is the test's own output: a
// test can print its framework's result markers. What the stream says is
// checked against what the test cannot write to: the framework's report file
// (where the parser's reportDecides()), and the exit status or signal. It
// also decides whom to blame when the process stops early: the running case
// (or, between cases, the next one; after the last, the last) gets Timeout,
// Crashed or Failed, and the cases that never reported are listed in
// UnitFinished for the daemon to run again.
class UnitRunner : public QObject {
    Q_OBJECT
public:
    explicit UnitRunner(const protocol::RunUnit &unit, QObject *parent = nullptr);
    ~UnitRunner() override;

    // The worker's id and directories, which every test process sees
    // (CTESTD_WORKER_ID, TMPDIR, ...); with `isolateWorkdir`, the test runs
    // in the worker's own directory instead of the unit's. Before start().
    void setWorkerSpace(const WorkerSpace *space, bool isolateWorkdir)
    {
        m_space = space;
        m_isolateWorkdir = isolateWorkdir;
    }

    void start();
    // The worker is told to stop while the process runs: what the stream
    // already finished is reported as the stream showed it (the process
    // cannot write its report any more), so an interrupted run still shows
    // what ran. The daemon accounts for the case that was running.
    void abandon();

Q_SIGNALS:
    // In order; each batch is what the events of at most SendIntervalMs
    // (chunks of the test's output) or one final event (the process's exit)
    // gave rise to.
    void messages(const QVector<ctestd::protocol::Message> &messages);
    void finished();

private:
    struct CaseState {
        bool started = false;
        bool finished = false;
        Status status = Status::Passed;
        QElapsedTimer clock;
        qint64 kept = 0; // output bytes sent for the case
        qint64 dropped = 0; // output bytes over the cap
    };

    void handleStdout();
    void handleLine(const QByteArray &line);
    void handleProcessFinished(int exitCode, QProcess::ExitStatus exitStatus);
    void handleTimeout();
    void failToStart(const QString &reason);

    void caseStarted(const QString &selector);
    void caseFinished(const QString &selector, const CaseResult &result);
    void appendOutput(const QByteArray &data);
    void appendCaseOutput(const QString &selector, const QByteArray &data);
    void flushOutput();
    void emitFinished(const protocol::CaseFinished &finished);
    void blame(const QString &selector, Status status, int signal, const QString &message);
    void takeReportedCases(const QHash<QString, CaseResult> &report);
    void checkAgainstReport(const QHash<QString, CaseResult> &report, bool reportExpected);
    QString firstUnreported() const;
    QString lastFinished() const;
    void leaveStoppedUnreported();
    bool anyReportedFailure() const; // a case of this process reported other than passed or skipped
    QStringList unreported() const;
    void finishUnit(int exitCode, int signal, const QString &error);
    void send(protocol::MessageType type, const QCborMap &body);
    // Sends the outbox now if nothing left for SendIntervalMs, else when
    // that interval is over.
    void releaseSoon();
    void releaseOutbox();
    // Holds messages while an event is handled; the last one out lets them go.
    class Hold {
    public:
        explicit Hold(UnitRunner *runner)
            : m_runner(runner)
        {
            ++m_runner->m_holding;
        }
        ~Hold()
        {
            if (--m_runner->m_holding == 0)
                m_runner->releaseSoon();
        }
        Hold(const Hold &) = delete;
        Hold &operator=(const Hold &) = delete;

    private:
        UnitRunner *m_runner;
    };
    void restartCaseTimer();
    void finishPlainCase(int exitCode, int signal);
    // "test process exited with code N", naming the launcher if there is one.
    QString exitWords(int exitCode) const;

    protocol::RunUnit m_unit;
    std::unique_ptr<FrameworkAdapter> m_adapter;
    std::unique_ptr<OutputParser> m_parser;
    QTemporaryDir m_scratch;
    QFile m_outputLog; // RunUnit::outputLog: the whole output, for a bundle
    TestProcess m_process;
    QTimer m_caseTimer;
    QTimer m_flushTimer;

    QHash<QString, CaseState> m_cases;
    QString m_current; // the case between its Started and Finished markers
    QByteArray m_lineBuffer;
    QByteArray m_unattributed; // output outside any case, given to the next one
    QString m_bufferedCase; // output waiting to be sent, for this case
    QByteArray m_buffered;
    QHash<QString, protocol::CaseFinished> m_verdicts; // held until the process has exited
    QStringList m_finishOrder; // selectors in the order their cases finished
    QSet<QString> m_blamed; // verdicts the worker gave, not the framework
    QString m_suspect; // see UnitFinished::suspect
    QStringList m_unconfirmed; // see UnitFinished::unconfirmed
    QSet<QString> m_contested; // cases the stream started twice
    bool m_stopsAtFirstFailure = false; // --stop-on-failure, and the framework can
    QByteArray m_verdictOutput; // plain tests: merged output for CTest's regexes (capped)
    bool m_timedOut = false;
    bool m_stoppedEarly = false; // see UnitFinished::stoppedEarly
    bool m_done = false;
    const WorkerSpace *m_space = nullptr;
    bool m_isolateWorkdir = false;
    QVector<protocol::Message> m_outbox;
    int m_holding = 0;
    QTimer m_releaseTimer;
    QElapsedTimer m_lastRelease;
    QElapsedTimer m_unitClock; // since the RunUnit arrived: CaseStarted::at
};

} // namespace ctestd
