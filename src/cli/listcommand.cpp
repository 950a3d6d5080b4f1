// SPDX-License-Identifier: BSD-3-Clause
#include "listcommand.h"

#include "frameworks/adapter.h"
#include "runner/discovery.h"

#include <QFileInfo>
#include <QIODevice>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

namespace ctestd {

ListCommand::ListCommand(const RunOptions &options, QIODevice *out, QIODevice *err, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_out(out)
    , m_err(err)
{ }

ListCommand::~ListCommand() = default;

QJsonArray ListCommand::casesToJson(const QVector<TestCase> &cases)
{
    // What a build system needs to register each case: its CTest name, how to
    // select it, and the fixture group it runs in (the key without the
    // executable, which the caller knows).
    QJsonArray array;
    for (const TestCase &testCase : cases) {
        QJsonObject object {{QStringLiteral("name"), testCase.displayName},
            {QStringLiteral("selector"), testCase.selector}, {QStringLiteral("suite"), testCase.suite},
            {QStringLiteral("case"), testCase.name}, {QStringLiteral("disabled"), testCase.disabled}};
        if (!testCase.disabled)
            object.insert(QStringLiteral("group"), testCase.group.name);
        if (!testCase.file.isEmpty()) {
            object.insert(QStringLiteral("file"), testCase.file);
            object.insert(QStringLiteral("line"), testCase.line);
        }
        array.append(object);
    }
    return array;
}

void ListCommand::writeText(
    const DiscoveredExecutable &executable, GroupBy groupBy, const QVector<TestCase> &cases, const QVector<Unit> &units)
{
    m_out->write(QStringLiteral("%1: %2 %3 cases in %4 %5 groups\n")
                     .arg(executable.executable, executable.framework)
                     .arg(cases.size())
                     .arg(units.size())
                     .arg(groupByName(groupBy))
                     .toUtf8());
    for (const Unit &unit : units) {
        // A whole-executable group has no key of its own: it is named after
        // the executable, so no group line is empty.
        const QString key = unit.group.name;
        const QString group = !key.isEmpty()
            ? key
            : QStringLiteral("%1 (the whole executable)").arg(QFileInfo(executable.executable).fileName());
        m_out->write(QStringLiteral("  group %1\n").arg(group).toUtf8());
        for (int index : unit.cases)
            m_out->write(QStringLiteral("    %1\n").arg(cases[index].displayName).toUtf8());
    }
    for (const TestCase &testCase : cases) {
        if (testCase.disabled)
            m_out->write(QStringLiteral("  disabled: %1\n").arg(testCase.displayName).toUtf8());
    }
}

void ListCommand::start()
{
    auto *discovery = new Discovery(m_options.executables, m_options.framework, QThread::idealThreadCount(),
        m_options.discoveryTimeoutSeconds, this);
    discovery->setLauncher(m_options.launcher);
    connect(discovery, &Discovery::finished, this, [this](const QVector<DiscoveredExecutable> &results) {
        int exitCode = 0;
        QJsonArray executables;
        for (const DiscoveredExecutable &executable : results) {
            // Each executable's own framework (`auto` resolved) and its default grouping.
            const GroupBy groupBy = m_options.groupBySet ? m_options.groupBy : executable.groupBy;
            QJsonObject entry {{QStringLiteral("executable"), executable.executable},
                {QStringLiteral("framework"), executable.framework}, {QStringLiteral("groupBy"), groupByName(groupBy)}};
            if (!executable.error.isEmpty()) {
                m_err->write(executable.error.toUtf8() + '\n');
                exitCode = 8;
                entry.insert(QStringLiteral("error"), executable.error);
                executables.append(entry);
                continue;
            }
            QVector<TestCase> cases = executable.cases;
            for (TestCase &testCase : cases)
                testCase.framework = executable.framework;
            const QVector<Unit> units = groupIntoUnits(cases, {}, groupBy);
            if (m_options.listJson) {
                entry.insert(QStringLiteral("cases"), casesToJson(cases));
                executables.append(entry);
            } else {
                writeText(executable, groupBy, cases, units);
            }
        }
        if (m_options.listJson) {
            const QJsonObject document {{QStringLiteral("kind"), QStringLiteral("ctestdList")},
                {QStringLiteral("version"), 1}, {QStringLiteral("executables"), executables}};
            m_out->write(QJsonDocument(document).toJson(QJsonDocument::Indented));
        }
        Q_EMIT finished(exitCode);
    });
    discovery->start();
}

} // namespace ctestd
