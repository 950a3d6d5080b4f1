// SPDX-License-Identifier: BSD-3-Clause
#include "discovery.h"

#include "frameworks/adapter.h"
#include "frameworks/adaptertext.h"
#include "frameworks/detection.h"
#include "frameworks/plain/plainadapter.h"
#include "frameworks/registry.h"
#include "model/logging.h"
#include "worker/testprocess.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>
#include <QTemporaryDir>
#include <QTimer>

#include <memory>

namespace ctestd {

namespace {
QString firstLine(const QByteArray &text)
{
    const QString line = QString::fromUtf8(text).trimmed().section(QLatin1Char('\n'), 0, 0).trimmed();
    return line.size() > 200 ? line.left(200) + QStringLiteral("...") : line;
}
} // namespace

Discovery::Discovery(
    const QStringList &executables, const QString &framework, int parallel, double timeoutSeconds, QObject *parent)
    : QObject(parent)
    , m_parallel(qMax(1, parallel))
    , m_timeoutSeconds(timeoutSeconds)
{
    for (const QString &executable : executables)
        m_results.append({QFileInfo(executable).absoluteFilePath(), framework, GroupBy::Case, {}, {}});
}

void Discovery::start()
{
    if (m_results.isEmpty()) {
        QTimer::singleShot(0, this, [this] { Q_EMIT finished(m_results); });
        return;
    }
    startNext();
}

void Discovery::startNext()
{
    while (m_running < m_parallel && m_next < m_results.size())
        listOne(m_next++);
}

void Discovery::listOne(int index)
{
    ++m_running;
    const QString executable = m_results[index].executable;
    // What is decided before starting anything (a failure, a plain
    // executable) is reported from the event loop, so that start() never
    // finishes before its caller returns.
    const auto finishLater = [this, index](const QString &error) {
        QTimer::singleShot(0, this, [this, index, error] { done(index, error); });
    };
    const QFileInfo info(executable);
    if (!info.exists())
        return finishLater(QStringLiteral("Unable to find executable: %1").arg(executable));
    if (!info.isFile() || !info.isExecutable())
        return finishLater(QStringLiteral("Not an executable file: %1").arg(executable));

    QString &framework = m_results[index].framework;
    if (framework == QLatin1String("auto"))
        framework = detectFramework(executable);
    const std::shared_ptr<FrameworkAdapter> adapter = createFrameworkAdapter(framework);
    if (!adapter)
        return finishLater(QStringLiteral("unknown framework '%1'").arg(framework));
    if (!adapter->reportsCases()) {
        // Nothing to list: the executable is its one case, named after it.
        TestCase testCase;
        testCase.executable = executable;
        testCase.name = info.fileName();
        testCase.displayName = testCase.name;
        testCase.selector = testCase.name;
        testCase.rules.skipReturnCode = PlainAdapter::skipReturnCode;
        m_results[index].cases.append(testCase);
        return finishLater(QString());
    }

    auto scratch = std::make_shared<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/ctestd-list-XXXXXX"));
    if (!scratch->isValid())
        return finishLater(QStringLiteral("cannot create a scratch directory: %1").arg(scratch->errorString()));

    auto *process = new TestProcess(this);
    auto *timer = new QTimer(process);
    timer->setSingleShot(true);
    auto timedOut = std::make_shared<bool>(false);
    connect(timer, &QTimer::timeout, process, [process, timedOut] {
        *timedOut = true;
        process->killGroup();
    });
    connect(process, &QProcess::errorOccurred, this, [this, index, process, executable](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return;
        process->deleteLater();
        done(index, QStringLiteral("cannot run %1: %2").arg(executable, process->errorString()));
    });
    connect(process, &QProcess::finished, this,
        [this, index, process, executable, scratch, timedOut, adapter](int exitCode, QProcess::ExitStatus status) {
            process->deleteLater();
            const QByteArray out = process->readAllStandardOutput();
            const QByteArray err = process->readAllStandardError();
            if (*timedOut)
                return done(index,
                    QStringLiteral("listing the cases of %1 timed out after %2 s")
                        .arg(executable)
                        .arg(m_timeoutSeconds));
            if (status == QProcess::CrashExit)
                return done(index,
                    QStringLiteral("listing the cases of %1 crashed with signal %2").arg(executable).arg(exitCode));
            if (!adapter->isListingExit(exitCode))
                return done(index,
                    QStringLiteral("listing the cases of %1 failed with exit code %2: %3")
                        .arg(executable)
                        .arg(exitCode)
                        .arg(firstLine(err.isEmpty() ? out : err)));
            QString error;
            if (!adapter->parseListing(out, err, scratch->path(), &m_results[index].cases, &error))
                return done(index, QStringLiteral("%1: %2").arg(executable, error));
            // Two listed cases with one selector would run once and be
            // reported twice: a listing ctestd misread, never to be guessed at.
            QSet<QString> selectors;
            for (const TestCase &testCase : qAsConst(m_results[index].cases)) {
                if (!selectors.contains(testCase.selector)) {
                    selectors.insert(testCase.selector);
                    continue;
                }
                return done(index,
                    QStringLiteral("%1: the listing names the case \"%2\" twice; its cases cannot be told apart")
                        .arg(executable, quotedForError(testCase.selector)));
            }
            // An executable whose default grouping is not its framework's
            // says so on each case (the grouping honours TestCase::groupBy).
            const GroupBy groupBy = adapter->groupByFor(executable);
            m_results[index].groupBy = groupBy;
            for (TestCase &testCase : m_results[index].cases) {
                testCase.executable = executable;
                if (groupBy != adapter->defaultGroupBy())
                    testCase.groupBy = groupBy;
            }
            done(index, QString());
        });
    const QStringList arguments = adapter->listArguments(executable, scratch->path());
    if (m_launcher.isEmpty())
        process->start(executable, arguments);
    else
        process->start(m_launcher.constFirst(), m_launcher.mid(1) + QStringList {executable} + arguments);
    if (m_timeoutSeconds > 0)
        timer->start(int(m_timeoutSeconds * 1000));
}

void Discovery::done(int index, const QString &error)
{
    if (!error.isEmpty()) {
        m_results[index].cases.clear();
        m_results[index].error = error;
        qCDebug(lcDaemon).noquote() << "discovery failed:" << error;
    }
    --m_running;
    if (++m_finished == m_results.size()) {
        Q_EMIT finished(m_results);
        return;
    }
    startNext();
}

} // namespace ctestd
