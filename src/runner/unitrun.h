// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "casebook.h"
#include "grouping.h"
#include "protocol/messages.h"
#include "runoptions.h"

#include <QElapsedTimer>
#include <QHash>
#include <QString>
#include <QVector>

namespace ctestd {

// Cases of a unit that run again, in a unit of their own.
struct Retry {
    QVector<int> cases;
    bool confirming = false; // see Unit::confirming
};

// One unit handed to one worker, as CMake's cmCTestRunTest is one test's
// run: the RunUnit request, the worker's messages about the unit, and what
// becomes of its cases when the unit ends or the worker is lost. Each
// message is decoded once and handled by a function of its own; one that
// does not fit the unit is a protocol violation, for which the worker is
// treated as crashed. What runs again is left to the scheduler: see
// takeRetries().
class UnitRun {
public:
    UnitRun(qint64 id, const Unit &unit, CaseBook &cases);

    qint64 id() const { return m_id; }
    const Unit &unit() const { return m_unit; }

    // The message that starts the unit. Marks its cases dispatched and drops
    // what an earlier run of them sent: the run that gives a case its result
    // is the one whose output is reported.
    protocol::RunUnit request(const RunOptions &options, double timeoutSeconds);

    enum class Handled {
        Ongoing,
        UnitDone, // UnitFinished: every case is settled or among the retries
        Violation,
    };
    Handled handle(const protocol::Message &message, QString *error);

    // The worker died (or was killed) while it ran the unit: blames the case
    // it ran, unless the case can run again alone to settle it
    // (`canRunAgain`: a worker is left), and queues the rest for a retry.
    // `blameless`: the worker went silent (its host or network is gone):
    // no case is blamed, every case without a result runs again.
    void workerLost(const QString &reason, int interruptSignal, bool canRunAgain, bool blameless = false);

    // The parts of the unit to run again, in the order to queue them (each
    // goes to the front of the queue, so the last goes first).
    QVector<Retry> takeRetries();

    // The cases this run reported a result for, and their times.
    const QVector<int> &reported() const { return m_reported; }
    double reportedSeconds() const { return m_reportedSeconds; }
    // What the run showed of its groups' fixtures, for the cost records:
    // by group name, the time from the request (or the previous case's end)
    // to the group's first case's start, plus after its last case what the
    // process took to end. Only a run that ended normally with every case
    // reported has these; empty otherwise.
    QHash<QString, double> fixtureSeconds() const;
    // --archive: the process's own $CTESTD_ARTIFACT_DIR, made empty by request().
    const QString &artifactDirectory() const { return m_artifactDirectory; }
    // --archive: the file the worker writes the process's whole output to.
    const QString &outputLog() const { return m_outputLog; }

private:
    int openCase(protocol::MessageType type, qint64 unit, const QString &selector, QString *error) const;
    bool handleCaseStarted(const protocol::CaseStarted &started, QString *error);
    bool handleCaseOutput(const protocol::CaseOutput &output, QString *error);
    bool handleCaseFinished(const protocol::CaseFinished &finished, QString *error);
    bool handleUnitFinished(const protocol::UnitFinished &finished, QString *error);
    QVector<int> indicesOf(const QStringList &selectors, const QVector<int> &except) const;
    void retry(const QVector<int> &cases, bool confirming = false);

    qint64 m_id;
    Unit m_unit;
    QVector<int> m_reported;
    double m_reportedSeconds = 0;
    QString m_artifactDirectory;
    QString m_outputLog;
    CaseBook &m_cases;
    QHash<QString, int> m_caseOfSelector;
    QString m_running; // selector between CaseStarted and CaseFinished
    bool m_abnormal = false; // a case was blamed for a crash or timeout
    QVector<Retry> m_retries;
    QElapsedTimer m_clock; // since request()
    QHash<int, double> m_startedAt; // case index -> seconds after the request
    double m_endedAt = -1; // UnitFinished, seconds after the request
    bool m_clean = false; // UnitFinished: a normal end, every case reported
};

} // namespace ctestd
