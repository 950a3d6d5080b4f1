// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "consolereporter.h"
#include "idlework.h"
#include "model/runlistener.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QVector>

#include <memory>

class QIODevice;

namespace ctestd {

// A run as data: what its outputs were told, in the order they were told,
// so that the reports can be written again later and elsewhere (`ctestd
// report`) exactly as they were. It is the "ctestd-run" document of
// --output-json and of a bundle's run.json (README, "JSON report").
struct RunRecord {
    // One event of RunListener, by the case's #K.
    struct Event {
        enum Kind : char {
            RunStarted = 'r',
            CaseStarted = 's',
            Again = 'g', // attemptFinished(again = true): `attempt` indexes attempts[case]
            Attempt = 'a', // attemptFinished(again = false): the case's final result
            CaseFinished = 'f',
            RunFinished = 'e',
        };
        Kind kind = RunStarted;
        int number = 0;
        int attempt = 0;
    };
    // What the run printed on the console besides its outputs' lines (the
    // change of directory, warnings, the interrupt notice), and where:
    // before the event with this position in `events` (events.size():
    // after the last).
    struct Note {
        bool toStderr = false;
        int beforeEvent = 0;
        QByteArray text;
    };

    QString ctestdVersion;
    QString host;
    QStringList commandLine;
    QDateTime finishedUtc;
    RunStart start;
    RunEnd end; // end.cases in the order of start.cases, without left-out cases
    int exitCode = 0; // the code the run exited with
    QVector<Event> events;
    // By position in end.cases: the results of the attempts --repeat ran again.
    QVector<QVector<CaseResult>> attempts;
    QVector<Note> notes;
    // The console switches the run printed with (-V, --output-on-failure, ...).
    ConsoleOptions console;
    bool hasEvents = false; // false: a document without events (replayed in #K order)
    // #K -> the case's element of "cases", written while the run went on
    // (RunRecorder): runRecordJson() uses it instead of writing it again.
    QHash<int, QByteArray> preparedCases;
};

// The "ctestd-run" document for `record`: compact JSON, written by hand
// because a QJsonObject per case costs more than the rest of a fast run.
QByteArray runRecordJson(const RunRecord &record);

// Reads a "ctestd-run" document; false with a one-line `error` (a foreign
// document, an unknown version, a field of the wrong type).
[[nodiscard]] bool parseRunRecord(const QByteArray &json, RunRecord *record, QString *error);

// Tells `listener` the recorded run again, event by event, and writes the
// notes to `out`/`err` where the run printed them. Returns the exit code
// `listener` gives the run.
int replayRunRecord(const RunRecord &record, RunListener &listener, QIODevice *out, QIODevice *err);

// Records a run as its events arrive. As a decorator of the console
// (`inner`), it also knows where in the console's lines every other
// console write fell: note() stamps a write with the number of events the
// console has been told.
class RunRecorder final : public RunListener {
public:
    explicit RunRecorder(RunListener *inner = nullptr);
    // The console it records, owned (set before the run starts).
    void setInner(std::unique_ptr<RunListener> inner)
    {
        m_owned = std::move(inner);
        m_inner = m_owned.get();
    }

    void setConsoleOptions(const ConsoleOptions &options) { m_record.console = options; }
    void setCommandLine(const QStringList &commandLine) { m_record.commandLine = commandLine; }
    // A replayed run's: where it ran, not where it is replayed.
    void setHost(const QString &host) { m_record.host = host; }
    void note(bool toStderr, const QByteArray &text);

    bool ready(const RunStart &run, QString *error) override;
    void runStarted(const RunStart &run) override;
    void caseStarted(const TestCase &testCase) override;
    void attemptFinished(const TestCase &testCase, const CaseResult &result, bool again) override;
    void caseFinished(const TestCase &testCase, const CaseResult &result) override;
    int runFinished(const RunEnd &end, int exitCode) override;

    // The run so far; complete after runFinished().
    const RunRecord &record() const { return m_record; }
    // The record of the run if it ended with `end` now.
    RunRecord recordFor(const RunEnd &end, int exitCode, const QDateTime &finishedUtc) const;

private:
    void add(RunRecord::Event::Kind kind, int number, int attempt = 0);
    bool prepareSome(); // IdleWork's slice: some finished cases' JSON

    struct Finished {
        TestCase testCase;
        CaseResult result;
    };
    QVector<Finished> m_finished; // in the order they finished
    int m_prepared = 0; // of m_finished, how many have their JSON
    QSet<int> m_ran; // #K of the cases that ran in a test process
    IdleWork m_idle {[this] { return prepareSome(); }};
    std::unique_ptr<RunListener> m_owned;
    RunListener *m_inner;
    RunRecord m_record;
    QHash<int, QVector<CaseResult>> m_again; // #K -> attempts that ran again
};

} // namespace ctestd
