// SPDX-License-Identifier: BSD-3-Clause
#include "unitrunner.h"

#include "ctest/verdict.h"
#include "frameworks/registry.h"
#include "model/defaults.h"
#include "model/logging.h"
#include "orphanreaper.h"

#include <QDir>
#include <QProcessEnvironment>

#include <csignal>
#include <cstring>

namespace ctestd {

namespace {
// A line is buffered up to this length. Of a longer one (a test's output
// without a newline, which a framework's marker may end) only the last
// LineTailLength bytes stay buffered for the parser, and what comes before
// them is passed on as output: 100 MB without a newline must not grow the
// worker, and must not hide the marker after it.
constexpr int MaxLineLength = 64 * 1024;
constexpr int LineTailLength = 16 * 1024;
// Output is sent in chunks of at most this size, so frames stay small.
constexpr int OutputChunk = 64 * 1024;
constexpr int FlushIntervalMs = 200;
// While the process runs, its events leave at most this often. A suite of
// 0.2 ms cases prints each marker line on its own, and sending each line's
// event at once cost the worker and the daemon a wake-up per line: on a
// yaml-cpp-shaped suite of 1,000 such cases, batching took 12 ms (7%) off the
// run. What ends a process leaves at once. The daemon does not rely on the
// last CaseStarted naming the running case (a lost worker's last-said case
// runs again alone), and times fixtures from CaseStarted::at.
constexpr int SendIntervalMs = 5;
// A failure message longer than this is cut, with a note: every adapter caps
// what it collects from the stream, but a framework's report file (gtest's
// JSON) can hold a 10 MB message, which JUnit would carry twice and XML
// readers reject as a huge text node.
// How much of a plain test's output CTest's regexes are matched against.
constexpr int VerdictOutputCap = 8 * 1024 * 1024;

// Cuts `data` to at most `size` bytes without splitting a UTF-8 sequence.
QByteArray utf8Prefix(const QByteArray &data, qint64 size)
{
    if (size >= data.size())
        return data;
    qint64 cut = size;
    while (cut > 0 && (static_cast<unsigned char>(data.at(int(cut))) & 0xC0) == 0x80)
        --cut;
    return data.left(int(cut));
}

QString signalName(int signal)
{
    const char *description = ::strsignal(signal);
    return description ? QString::fromLocal8Bit(description) : QStringLiteral("signal %1").arg(signal);
}

// A case's time as the worker saw it, where the framework gives none finer:
// gtest and Catch2 print whole milliseconds, and a suite of 0.2 ms cases
// recorded as 0 s each gives planning nothing to balance on.
double secondsSince(const QElapsedTimer &clock)
{
    return clock.nsecsElapsed() / 1e9;
}

QString cappedMessage(const QString &message)
{
    if (message.size() <= defaults::FailureMessageChars)
        return message;
    return message.left(defaults::FailureMessageChars)
        + QStringLiteral("\n[ctestd: %1 more characters of the message were dropped]")
              .arg(message.size() - defaults::FailureMessageChars);
}

} // namespace

UnitRunner::UnitRunner(const protocol::RunUnit &unit, QObject *parent)
    : QObject(parent)
    , m_unit(unit)
    , m_adapter(createFrameworkAdapter(unit.framework))
    , m_scratch(QDir::tempPath() + QStringLiteral("/ctestd-unit-XXXXXX"))
{
    for (const QString &selector : unit.selectors)
        m_cases.insert(selector, CaseState());

    m_unitClock.start();
    m_releaseTimer.setSingleShot(true);
    connect(&m_releaseTimer, &QTimer::timeout, this, &UnitRunner::releaseOutbox);
    m_caseTimer.setSingleShot(true);
    connect(&m_caseTimer, &QTimer::timeout, this, &UnitRunner::handleTimeout);
    m_flushTimer.setInterval(FlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &UnitRunner::flushOutput);

    connect(&m_process, &QProcess::readyReadStandardOutput, this, &UnitRunner::handleStdout);
    // stdout and stderr share one pipe, as under ctest: the order in which a
    // test wrote them is kept, so every line lands on the case that was
    // running when it was written. (Two pipes are read in whatever order the
    // event loop gets to them, which puts stderr on the neighbouring case.)
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    connect(&m_process, &QProcess::finished, this, &UnitRunner::handleProcessFinished);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        // FailedToStart is the only error after which no finished() follows.
        if (error == QProcess::FailedToStart)
            failToStart(m_process.errorString());
    });
}

UnitRunner::~UnitRunner()
{
    // Nothing may report from a half-destroyed runner.
    m_done = true;
    m_process.disconnect(this);
    if (m_process.state() != QProcess::NotRunning) {
        m_process.killGroup();
        m_process.waitForFinished(5000);
    }
    OrphanReaper::killAll();
}

void UnitRunner::start()
{
    if (!m_adapter)
        return failToStart(QStringLiteral("unknown framework '%1'").arg(m_unit.framework));
    if (!m_scratch.isValid())
        return failToStart(QStringLiteral("cannot create a scratch directory: %1").arg(m_scratch.errorString()));

    FrameworkAdapter::RunSpec spec;
    QString error;
    if (!m_adapter->prepareRun(m_unit.executable, m_unit.selectors, m_scratch.path(), &spec, &error))
        return failToStart(error);
    m_parser = m_adapter->createOutputParser(m_scratch.path(), m_unit.selectors);
    if (!m_unit.outputLog.isEmpty()) {
        m_outputLog.setFileName(m_unit.outputLog);
        if (!m_outputLog.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qCWarning(lcWorker).noquote()
                << "cannot write the output log" << m_unit.outputLog << ":" << m_outputLog.errorString();
    }
    m_stopsAtFirstFailure = m_unit.stopOnFailure && m_adapter->stopAtFirstFailure(&spec);

    QProcessEnvironment environment
        = m_unit.environmentComplete ? QProcessEnvironment() : QProcessEnvironment::systemEnvironment();
    // The worker's key must not leak into the tests it runs.
    environment.remove(QStringLiteral("CTESTD_KEY"));
    for (auto it = m_unit.environment.cbegin(); it != m_unit.environment.cend(); ++it)
        environment.insert(it.key(), it.value());
    for (const QString &name : qAsConst(spec.unsetEnvironment))
        environment.remove(name);
    for (auto it = spec.environment.cbegin(); it != spec.environment.cend(); ++it)
        environment.insert(it.key(), it.value());
    // Last, so that the worker's own TMPDIR wins over one the test inherited.
    if (m_space)
        m_space->addTo(&environment);
    m_process.setProcessEnvironment(environment);
    if (m_isolateWorkdir && m_space && !m_space->workDir().isEmpty())
        m_process.setWorkingDirectory(m_space->workDir());
    else if (!m_unit.workingDirectory.isEmpty())
        m_process.setWorkingDirectory(m_unit.workingDirectory);

    qCDebug(lcWorker) << "unit" << m_unit.unit << "runs" << m_unit.executable << spec.arguments.size() << "arguments";
    if (m_unit.launcher.isEmpty()) {
        m_process.start(m_unit.executable, spec.arguments + m_unit.extraArguments);
    } else {
        // The launcher's process is the test's: its exit, its signal and
        // its time limit are the test's.
        m_process.start(m_unit.launcher.constFirst(),
            m_unit.launcher.mid(1) + QStringList {m_unit.executable} + spec.arguments + m_unit.extraArguments);
    }
    if (!m_adapter->reportsCases()) {
        // The process is the case: it starts now and ends when the process does.
        caseStarted(m_unit.selectors.constFirst());
    }
    restartCaseTimer();
    m_flushTimer.start();
}

void UnitRunner::abandon()
{
    if (m_done)
        return;
    m_done = true;
    m_caseTimer.stop();
    m_flushTimer.stop();
    flushOutput();
    for (const QString &selector : qAsConst(m_unit.selectors)) {
        const auto verdict = m_verdicts.constFind(selector);
        if (verdict != m_verdicts.constEnd())
            emitFinished(*verdict);
    }
    releaseOutbox();
}

void UnitRunner::restartCaseTimer()
{
    if (m_unit.timeoutSeconds > 0)
        m_caseTimer.start(int(qMin(m_unit.timeoutSeconds * 1000.0, double(std::numeric_limits<int>::max()))));
}

void UnitRunner::handleStdout()
{
    const Hold hold(this);
    const QByteArray data = m_process.readAllStandardOutput();
    if (m_outputLog.isOpen())
        m_outputLog.write(data); // whole, for the bundle; the cases' share below is capped
    int from = 0;
    while (from < data.size()) {
        const int newline = data.indexOf('\n', from);
        if (newline < 0) {
            m_lineBuffer.append(data.constData() + from, data.size() - from);
            break;
        }
        m_lineBuffer.append(data.constData() + from, newline + 1 - from);
        from = newline + 1;
        handleLine(m_lineBuffer);
        m_lineBuffer.clear();
    }
    if (m_lineBuffer.size() > MaxLineLength) {
        const int passedOn = m_lineBuffer.size() - LineTailLength;
        appendOutput(m_lineBuffer.left(passedOn));
        m_lineBuffer.remove(0, passedOn);
    }
}

void UnitRunner::handleLine(const QByteArray &line)
{
    QByteArray text = line;
    while (text.endsWith('\n') || text.endsWith('\r'))
        text.chop(1);
    const ParsedLine parsed = m_parser->parseStdoutLine(text);
    // What of the line goes into the output: the line, or what the parser
    // shows instead of a machine-readable line (with the line's newline).
    QByteArray shown = line;
    if (parsed.display) {
        shown = *parsed.display;
        if (!shown.isEmpty() && !shown.endsWith('\n'))
            shown.append('\n');
    }
    bool placed = false;
    for (const LineEvent &event : parsed.events) {
        const bool ours = m_cases.contains(event.selector);
        if (event.kind == LineEvent::Started && ours && m_cases.value(event.selector).finished) {
            // A case starts once per process: a second start means one of
            // the two was printed by a test, and what the stream said of
            // this case may be another case's.
            m_contested.insert(event.selector);
        } else if (event.kind == LineEvent::Started && ours) {
            caseStarted(event.selector);
        } else if (event.kind == LineEvent::Finished && ours && event.selector == m_current) {
            // The line ends this case: it is the case's last line.
            if (!placed)
                appendOutput(shown);
            placed = true;
            caseFinished(event.selector, event.result);
        }
    }
    if (!placed)
        appendOutput(shown);
}

void UnitRunner::caseStarted(const QString &selector)
{
    flushOutput();
    m_current = selector;
    CaseState &state = m_cases[selector];
    state.started = true;
    state.clock.start();
    send(protocol::MessageType::CaseStarted,
        protocol::CaseStarted {m_unit.unit, selector, m_unitClock.nsecsElapsed() / 1e9}.toCbor());
    // What the process printed before the case (its suite's set-up, say)
    // belongs to the case whose start it led up to.
    const QByteArray before = std::exchange(m_unattributed, QByteArray());
    if (!before.isEmpty())
        appendCaseOutput(selector, before);
    restartCaseTimer();
}

void UnitRunner::caseFinished(const QString &selector, const CaseResult &result)
{
    CaseState &state = m_cases[selector];
    state.finished = true;
    state.status = result.status;
    m_current.clear();
    flushOutput();

    protocol::CaseFinished finished;
    finished.unit = m_unit.unit;
    finished.selector = selector;
    finished.status = result.status;
    finished.seconds = result.seconds > 0 ? result.seconds : secondsSince(state.clock);
    finished.message = result.message;
    finished.file = result.file;
    finished.line = result.line;
    m_verdicts.insert(selector, finished);
    m_finishOrder.append(selector);
    restartCaseTimer();
}

void UnitRunner::emitFinished(const protocol::CaseFinished &reported)
{
    protocol::CaseFinished finished = reported;
    finished.message = cappedMessage(finished.message);
    CaseState &state = m_cases[finished.selector];
    if (state.dropped > 0) {
        const QByteArray note = QByteArrayLiteral("\n[ctestd: ") + QByteArray::number(state.dropped)
            + QByteArrayLiteral(" more bytes of output were dropped]\n");
        send(
            protocol::MessageType::CaseOutput, protocol::CaseOutput {m_unit.unit, finished.selector, 1, note}.toCbor());
        state.dropped = 0;
    }
    send(protocol::MessageType::CaseFinished, finished.toCbor());
}

void UnitRunner::appendOutput(const QByteArray &data)
{
    if (data.isEmpty())
        return;
    if (!m_current.isEmpty())
        return appendCaseOutput(m_current, data);
    m_unattributed.append(utf8Prefix(data, qMax<qint64>(0, m_unit.outputCap - m_unattributed.size())));
}

void UnitRunner::appendCaseOutput(const QString &selector, const QByteArray &data)
{
    if (!m_adapter->reportsCases() && m_verdictOutput.size() < VerdictOutputCap)
        m_verdictOutput.append(data.left(VerdictOutputCap - m_verdictOutput.size()));
    CaseState &state = m_cases[selector];
    const QByteArray kept = utf8Prefix(data, qMax<qint64>(0, m_unit.outputCap - state.kept));
    state.kept += kept.size();
    state.dropped += data.size() - kept.size();
    if (kept.isEmpty())
        return;
    if (m_bufferedCase != selector)
        flushOutput();
    m_bufferedCase = selector;
    m_buffered.append(kept);
    if (m_buffered.size() >= OutputChunk)
        flushOutput();
}

void UnitRunner::flushOutput()
{
    // The test's stdout and stderr arrive merged, so all output is stream 1.
    for (int from = 0; from < m_buffered.size(); from += OutputChunk) {
        send(protocol::MessageType::CaseOutput,
            protocol::CaseOutput {m_unit.unit, m_bufferedCase, 1, m_buffered.mid(from, OutputChunk)}.toCbor());
    }
    m_buffered.clear();
}

QString UnitRunner::firstUnreported() const
{
    for (const QString &selector : m_unit.selectors) {
        if (!m_cases.value(selector).finished)
            return selector;
    }
    return QString();
}

QStringList UnitRunner::unreported() const
{
    QStringList result;
    for (const QString &selector : m_unit.selectors) {
        if (!m_cases.value(selector).finished && !m_unconfirmed.contains(selector))
            result.append(selector);
    }
    return result;
}

void UnitRunner::handleTimeout()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_timedOut = true;
    // Killed at its limit, as ctest kills a test: a SIGTERM first would run
    // the framework's handler for it (Qt Test starts gdb for a stack dump,
    // Catch2 and doctest report a crash), which takes its time and fills
    // the case's output with what is not the test's.
    qCDebug(lcWorker) << "unit" << m_unit.unit << "timed out; killing its process group";
    m_process.killGroup();
}

void UnitRunner::blame(const QString &selector, Status status, int signal, const QString &message)
{
    CaseState &state = m_cases[selector];
    if (!state.started) {
        // It never printed its start marker (it died in the suite's set-up):
        // it still gets a start, so every report sees a complete case.
        m_current.clear();
        caseStarted(selector);
    }
    m_current = selector;
    appendOutput(std::exchange(m_unattributed, QByteArray()));
    m_current.clear();
    flushOutput();
    state.finished = true;
    state.status = status;

    protocol::CaseFinished finished;
    finished.unit = m_unit.unit;
    finished.selector = selector;
    finished.status = status;
    finished.seconds = state.clock.isValid() ? secondsSince(state.clock) : 0.0;
    finished.message = message;
    finished.signal = signal;
    m_verdicts.insert(selector, finished);
    m_finishOrder.removeAll(selector);
    m_finishOrder.append(selector);
    m_blamed.insert(selector);
}

void UnitRunner::takeReportedCases(const QHash<QString, CaseResult> &report)
{
    // A case the report holds completely but the stream did not finish: its
    // markers were mangled (a name gtest prints unquoted with a space) or the
    // process died right after the framework wrote the report's entry.
    for (const QString &selector : qAsConst(m_unit.selectors)) {
        const auto reported = report.constFind(selector);
        if (reported == report.constEnd() || m_cases.value(selector).finished)
            continue;
        if (!m_cases.value(selector).started) {
            const QString running = std::exchange(m_current, QString());
            caseStarted(selector);
            m_current = running;
        }
        if (m_current == selector)
            m_current.clear();
        CaseResult result = *reported;
        if (result.seconds <= 0)
            result.seconds = secondsSince(m_cases.value(selector).clock);
        const QString running = std::exchange(m_current, QString());
        caseFinished(selector, result);
        m_current = running;
    }
}

void UnitRunner::checkAgainstReport(const QHash<QString, CaseResult> &report, bool reportExpected)
{
    for (const QString &selector : qAsConst(m_unit.selectors)) {
        auto verdict = m_verdicts.find(selector);
        if (verdict == m_verdicts.end() || m_blamed.contains(selector))
            continue;
        const auto reported = report.constFind(selector);
        if (reported != report.constEnd()) {
            const Status streamed = verdict->status;
            verdict->status = reported->status;
            if (!reported->message.isEmpty() || streamed != reported->status) {
                verdict->message = reported->message;
                verdict->file = reported->file;
                verdict->line = reported->line;
            }
            if (reported->seconds > 0)
                verdict->seconds = reported->seconds;
            if ((streamed == Status::Passed || streamed == Status::Skipped) && streamed != reported->status) {
                verdict->message += QStringLiteral("\n[ctestd: the test's output showed this case %1, but the "
                                                   "framework's report says %2; the report decides]")
                                        .arg(statusName(streamed), statusName(reported->status));
            }
            continue;
        }
        // The process ran to its end, so the report should hold every case
        // the stream finished. A pass nobody but the stream vouches for is
        // not a pass.
        if (reportExpected && (verdict->status == Status::Passed || verdict->status == Status::Skipped)) {
            const Status streamed = verdict->status;
            verdict->status = Status::Failed;
            verdict->message = QStringLiteral("ctestd: the test's output showed this case %1, but the framework's "
                                              "report has no result for it, so the %1 cannot be confirmed")
                                   .arg(statusName(streamed));
            verdict->file.clear();
            verdict->line = 0;
        }
    }
}

void UnitRunner::leaveStoppedUnreported()
{
    // After its first failure, a process told to stop there skips the rest
    // (gtest's --gtest_fail_fast reports them as skipped): they never ran,
    // and the daemon reports them so.
    bool failed = false;
    for (const QString &selector : QStringList(m_finishOrder)) {
        const auto verdict = m_verdicts.constFind(selector);
        if (verdict == m_verdicts.constEnd())
            continue;
        const Status status = verdict->status;
        if (failed && status == Status::Skipped && !m_blamed.contains(selector)) {
            m_verdicts.remove(selector);
            m_finishOrder.removeAll(selector);
            m_cases[selector].finished = false;
        }
        failed = failed || isFailure(status);
    }
}

QString UnitRunner::lastFinished() const
{
    return m_finishOrder.isEmpty() ? QString() : m_finishOrder.constLast();
}

bool UnitRunner::anyReportedFailure() const
{
    for (const protocol::CaseFinished &verdict : m_verdicts) {
        if (verdict.status != Status::Passed && verdict.status != Status::Skipped && verdict.status != Status::Disabled)
            return true;
    }
    return false;
}

void UnitRunner::handleProcessFinished(int exitCode, QProcess::ExitStatus exitStatus)
{
    if (m_done)
        return;
    const Hold hold(this);
    m_caseTimer.stop();
    m_flushTimer.stop();
    // Whatever the test left behind outside its process group (a setsid()
    // child the worker inherited as subreaper) is not part of the next case.
    OrphanReaper::killAll();
    handleStdout();
    if (!m_lineBuffer.isEmpty()) {
        // A last line without a newline: still a line.
        handleLine(std::exchange(m_lineBuffer, QByteArray()));
    }

    // QProcess reports a signal death as CrashExit with the signal number in
    // exitCode() on Unix.
    const int signal = exitStatus == QProcess::CrashExit ? exitCode : 0;
    if (!m_adapter->reportsCases()) {
        finishPlainCase(exitCode, signal);
        return finishUnit(exitCode, signal, QString());
    }
    const bool abnormal
        = m_timedOut || signal != 0 || !m_adapter->isNormalExit(exitCode) || !m_parser->reachedNormalEnd(exitCode);
    m_stoppedEarly = abnormal;

    // Where the report decides, the cases it holds completely are over, even
    // if the stream did not say so: the blame below falls on the others.
    const QHash<QString, CaseResult> report = m_parser->structuredResults();
    const bool reportDecides = m_parser->reportDecides();
    if (reportDecides)
        takeReportedCases(report);

    QString culprit = m_current.isEmpty() ? firstUnreported() : m_current;
    const bool running = !m_current.isEmpty();
    const QString last = lastFinished();
    // Under a launcher (valgrind --error-exitcode), an exit code the
    // framework would not give for what it reported, after every case
    // reported, is the launcher's verdict on some case of the process, and
    // which one no output says (a leak is reported at exit). None is blamed
    // on a guess: every pass is withheld and runs again, in the end each
    // alone, where the exit is its own.
    const bool launcherSays = !m_unit.launcher.isEmpty() && m_unit.selectors.size() > 1 && !m_timedOut && signal == 0
        && !running && culprit.isEmpty() && !last.isEmpty()
        && (abnormal || (m_parser->exitSaysFailed(exitCode) && !anyReportedFailure()));
    if (launcherSays) {
        qCDebug(lcWorker) << "unit" << m_unit.unit << "exit code" << exitCode << "under" << m_unit.launcher.constFirst()
                          << "withholds its passes";
    } else if (abnormal && !running && !culprit.isEmpty() && !last.isEmpty() && m_unit.selectors.size() > 1
        && !(reportDecides && report.contains(last))) {
        // The process died between the last case's result markers and the
        // next case's start, and no report confirms those markers: the death
        // is either the last case's (a test that printed its own markers,
        // then crashed) or the next one's (its suite's set-up). Neither is
        // blamed on a guess; the last case runs again alone, where its own
        // process settles it, and the rest after it.
        m_suspect = last;
        m_cases[last].finished = false;
        m_verdicts.remove(last);
        m_finishOrder.removeAll(last);
        culprit.clear();
    } else if (abnormal && culprit.isEmpty() && !last.isEmpty()) {
        // Every case reported, then the process died: in the suite's teardown
        // or at exit. The last case takes the blame.
        culprit = last;
        m_cases[culprit].finished = false;
    }

    if (abnormal && !culprit.isEmpty()) {
        const QString where = running ? QStringLiteral("while running") : QStringLiteral("around");
        const QString name = m_unit.names.value(culprit, culprit);
        if (m_timedOut) {
            blame(culprit, Status::Timeout, 0,
                QStringLiteral("Timeout: no result within %1 s %2 %3").arg(m_unit.timeoutSeconds).arg(where, name));
        } else if (signal != 0) {
            blame(culprit, Status::Crashed, signal,
                QStringLiteral("test process crashed with signal %1 (%2) %3 %4")
                    .arg(signal)
                    .arg(signalName(signal), where, name));
        } else {
            blame(culprit, Status::Failed, 0, QStringLiteral("%1 %2 %3").arg(exitWords(exitCode), where, name));
        }
    }
    if (reportDecides)
        checkAgainstReport(report, !abnormal);
    // A pass or skip that only the stream vouches for, while something says
    // otherwise, is withheld: the daemon runs those cases again, where a
    // clean exit (and the report, where there is one) confirms them. Two
    // things say otherwise. A process that stopped early: no report covers
    // what ran before the blamed case, and a test that printed its own pass
    // marker may be among it. And, for frameworks that report only on
    // stdout, an exit status that says something failed. A case the stream
    // started twice is withheld whatever it showed.
    const bool exitDoubts = !abnormal && !reportDecides && m_parser->exitSaysFailed(exitCode);
    if (m_unit.selectors.size() > 1 && (abnormal || exitDoubts || launcherSays || !m_contested.isEmpty())) {
        for (const QString &selector : qAsConst(m_unit.selectors)) {
            const auto verdict = m_verdicts.constFind(selector);
            if (verdict == m_verdicts.constEnd() || m_blamed.contains(selector))
                continue;
            const bool streamPass = verdict->status == Status::Passed || verdict->status == Status::Skipped;
            const bool unproven = streamPass
                && ((abnormal && !(reportDecides && report.contains(selector))) || exitDoubts || launcherSays);
            if (!unproven && !m_contested.contains(selector))
                continue;
            m_verdicts.remove(selector);
            m_finishOrder.removeAll(selector);
            m_cases[selector].finished = false;
            m_unconfirmed.append(selector);
        }
    }
    if (!abnormal && !last.isEmpty() && m_unconfirmed.isEmpty() && m_parser->exitSaysFailed(exitCode)
        && !anyReportedFailure()) {
        // The exit status says a case failed, yet every case was reported
        // passed or skipped: never a pass. The last case takes the blame with
        // the framework's closing lines (gtest's "[  FAILED  ]" list names
        // the real failure) as its output.
        blame(last, Status::Failed, 0,
            QStringLiteral("%1, which says a case failed, although every case it ran was reported passed or "
                           "skipped (a test may have printed the framework's result markers, or a failure happened "
                           "outside any case); the last case, %2, is failed for it")
                .arg(exitWords(exitCode), m_unit.names.value(last, last)));
    }

    if (m_stopsAtFirstFailure)
        leaveStoppedUnreported();
    flushOutput();
    for (const QString &selector : qAsConst(m_unit.selectors)) {
        const auto verdict = m_verdicts.constFind(selector);
        if (verdict != m_verdicts.constEnd())
            emitFinished(*verdict);
    }
    finishUnit(exitCode, signal, QString());
}

QString UnitRunner::exitWords(int exitCode) const
{
    if (m_unit.launcher.isEmpty())
        return QStringLiteral("test process exited with code %1").arg(exitCode);
    return QStringLiteral("test process exited with code %1 under the launcher %2")
        .arg(exitCode)
        .arg(m_unit.launcher.constFirst());
}

void UnitRunner::finishPlainCase(int exitCode, int signal)
{
    const QString selector = m_unit.selectors.constFirst();
    const ctest::Verdict verdict = ctest::decide(m_unit.rules, {m_timedOut, signal, exitCode}, m_verdictOutput);
    CaseState &state = m_cases[selector];
    m_current.clear();
    flushOutput();
    state.finished = true;
    state.status = verdict.status;

    protocol::CaseFinished finished;
    finished.unit = m_unit.unit;
    finished.selector = selector;
    finished.status = verdict.status;
    finished.seconds = state.clock.isValid() ? secondsSince(state.clock) : 0.0;
    finished.reason = verdict.reason;
    finished.signal = signal;
    if (!m_timedOut && signal == 0)
        finished.exitCode = exitCode;
    if (m_timedOut)
        finished.message = QStringLiteral("Timeout: killed after %1 s").arg(m_unit.timeoutSeconds);
    else if (signal != 0)
        finished.message
            = QStringLiteral("test process crashed with signal %1 (%2)").arg(signal).arg(signalName(signal));
    else if (!verdict.reason.isEmpty())
        finished.message = verdict.reason;
    else if (verdict.status == Status::Failed)
        finished.message = exitWords(exitCode);
    emitFinished(finished);
}

void UnitRunner::failToStart(const QString &reason)
{
    if (m_done)
        return;
    m_caseTimer.stop();
    m_flushTimer.stop();
    finishUnit(-1, 0, reason.isEmpty() ? QStringLiteral("failed to start") : reason);
}

void UnitRunner::finishUnit(int exitCode, int signal, const QString &error)
{
    m_done = true;
    protocol::UnitFinished finished;
    finished.unit = m_unit.unit;
    finished.exitCode = exitCode;
    finished.signal = signal;
    finished.error = error;
    finished.unreported = unreported();
    finished.stoppedEarly = m_stoppedEarly;
    finished.suspect = m_suspect;
    finished.unconfirmed = m_unconfirmed;
    send(protocol::MessageType::UnitFinished, finished.toCbor());
    // The unit's last messages leave before the worker hears it is done.
    releaseOutbox();
    Q_EMIT this->finished();
}

void UnitRunner::send(protocol::MessageType type, const QCborMap &body)
{
    m_outbox.append(protocol::Message {type, body});
    if (m_holding == 0)
        releaseSoon();
}

void UnitRunner::releaseSoon()
{
    if (m_outbox.isEmpty() || m_releaseTimer.isActive())
        return;
    const qint64 since = m_lastRelease.isValid() ? m_lastRelease.elapsed() : SendIntervalMs;
    if (since >= SendIntervalMs)
        return releaseOutbox();
    m_releaseTimer.start(int(SendIntervalMs - since));
}

void UnitRunner::releaseOutbox()
{
    m_releaseTimer.stop();
    if (m_outbox.isEmpty())
        return;
    m_lastRelease.start();
    Q_EMIT messages(std::exchange(m_outbox, {}));
}

} // namespace ctestd
