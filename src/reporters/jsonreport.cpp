// SPDX-License-Identifier: BSD-3-Clause
#include "jsonreport.h"

#include "reportfile.h"

#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSysInfo>
#include <QTextCodec>

namespace ctestd {

namespace {

// A test's output as JSON can carry it: text when it is UTF-8, else base64
// under "<key>Base64", so that no byte is lost or replaced.
void addOutput(QJsonObject *object, const QString &key, const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return;
    QTextCodec::ConverterState state;
    const QString text = QTextCodec::codecForName("UTF-8")->toUnicode(bytes.constData(), int(bytes.size()), &state);
    if (state.invalidChars == 0 && state.remainingChars == 0)
        object->insert(key, text);
    else
        object->insert(key + QStringLiteral("Base64"), QString::fromLatin1(bytes.toBase64()));
}

QString isoUtc(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

} // namespace

JsonReporter::JsonReporter(const QString &path, const QStringList &commandLine, QIODevice *err)
    : m_path(path)
    , m_commandLine(commandLine)
    , m_err(err)
{ }

bool JsonReporter::ready(const RunStart &, QString *error)
{
    return checkReportDestination(m_path, QStringLiteral("the JSON report"), error);
}

void JsonReporter::runStarted(const RunStart &run)
{
    m_project = run.projectDirectory;
    m_buildTree = run.buildTree;
    m_started = QDateTime::currentDateTimeUtc();
}

void JsonReporter::attemptFinished(const TestCase &testCase, const CaseResult &result, bool again)
{
    if (again)
        m_attempts[testCase.index].append({result.status, result.seconds});
}

int JsonReporter::runFinished(const RunEnd &end, int exitCode)
{
    QString reason;
    if (!writeReportFile(m_path, document(end, exitCode, QDateTime::currentDateTimeUtc()), &reason)) {
        if (m_err)
            m_err->write(QStringLiteral("ctestd: cannot write the JSON report %1: %2\n").arg(m_path, reason).toUtf8());
        return exitCode == 0 ? 1 : exitCode;
    }
    return exitCode;
}

QByteArray JsonReporter::document(const RunEnd &end, int exitCode, const QDateTime &finished) const
{
    QJsonArray cases;
    for (const CaseOutcome &outcome : end.cases) {
        if (outcome.leftOut)
            continue;
        const TestCase &testCase = outcome.testCase;
        const CaseResult &result = outcome.result;
        QJsonObject entry {
            {QStringLiteral("number"), testCase.index},
            {QStringLiteral("name"), testCase.displayName},
            {QStringLiteral("status"), statusName(result.status)},
            {QStringLiteral("seconds"), result.seconds},
            {QStringLiteral("ran"), outcome.dispatched},
        };
        if (!testCase.executable.isEmpty())
            entry.insert(QStringLiteral("executable"), testCase.executable);
        if (!testCase.framework.isEmpty())
            entry.insert(QStringLiteral("framework"), testCase.framework);
        if (!testCase.suite.isEmpty())
            entry.insert(QStringLiteral("suite"), testCase.suite);
        if (!testCase.group.name.isEmpty())
            entry.insert(QStringLiteral("group"), testCase.group.name);
        if (!testCase.labels.isEmpty())
            entry.insert(QStringLiteral("labels"), QJsonArray::fromStringList(testCase.labels));
        if (!testCase.file.isEmpty()) {
            entry.insert(QStringLiteral("file"), testCase.file);
            entry.insert(QStringLiteral("line"), testCase.line);
        }
        if (!result.message.isEmpty())
            entry.insert(QStringLiteral("message"), result.message);
        if (!result.reason.isEmpty())
            entry.insert(QStringLiteral("reason"), result.reason);
        if (!result.file.isEmpty()) {
            entry.insert(QStringLiteral("failureFile"), result.file);
            entry.insert(QStringLiteral("failureLine"), result.line);
        }
        if (result.signal != 0)
            entry.insert(QStringLiteral("signal"), result.signal);
        if (result.exitCode)
            entry.insert(QStringLiteral("exitCode"), *result.exitCode);
        const QVector<Attempt> attempts = m_attempts.value(testCase.index);
        if (!attempts.isEmpty()) {
            QJsonArray earlier;
            for (const Attempt &attempt : attempts)
                earlier.append(QJsonObject {{QStringLiteral("status"), statusName(attempt.status)},
                    {QStringLiteral("seconds"), attempt.seconds}});
            entry.insert(QStringLiteral("earlierAttempts"), earlier);
        }
        addOutput(&entry, QStringLiteral("stdout"), result.stdOut);
        addOutput(&entry, QStringLiteral("stderr"), result.stdErr);
        cases.append(entry);
    }

    QJsonArray processes;
    for (const ProcessRecord &process : end.processes) {
        QJsonArray numbers;
        for (int position : process.cases)
            numbers.append(end.cases.value(position).testCase.index);
        processes.append(QJsonObject {
            {QStringLiteral("executable"), process.executable},
            {QStringLiteral("group"), process.group},
            {QStringLiteral("cases"), numbers},
            {QStringLiteral("seconds"), process.seconds},
            {QStringLiteral("fixtureSeconds"), process.fixtureSeconds()},
        });
    }

    const QJsonObject root {
        {QStringLiteral("format"), QStringLiteral("ctestd-run")},
        {QStringLiteral("version"), FormatVersion},
        {QStringLiteral("host"), QSysInfo::machineHostName()},
        {QStringLiteral("commandLine"), QJsonArray::fromStringList(m_commandLine)},
        {QStringLiteral("project"), m_project},
        {QStringLiteral("buildTree"), m_buildTree},
        {QStringLiteral("started"), isoUtc(m_started.isValid() ? m_started : finished)},
        {QStringLiteral("finished"), isoUtc(finished)},
        {QStringLiteral("seconds"), end.wallSeconds},
        {QStringLiteral("exitCode"), end.interruptSignal != 0 ? 128 + end.interruptSignal : exitCode},
        {QStringLiteral("interruptedBy"), end.interruptSignal},
        {QStringLiteral("cases"), cases},
        {QStringLiteral("processes"), processes},
    };
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

} // namespace ctestd
