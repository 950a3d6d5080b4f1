// SPDX-License-Identifier: BSD-3-Clause
#include "listcommand.h"

#include "discovery.h"
#include "frameworks/adapter.h"

#include <QIODevice>
#include <QThread>

namespace ctestd {

ListCommand::ListCommand(const RunOptions &options, QIODevice *out, QIODevice *err, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_out(out)
    , m_err(err)
    , m_adapter(createFrameworkAdapter(options.framework))
{
    if (!m_options.groupBySet)
        m_options.groupBy = m_adapter->defaultGroupBy();
}

ListCommand::~ListCommand() = default;

void ListCommand::start()
{
    auto *discovery = new Discovery(
        m_options.executables, *m_adapter, QThread::idealThreadCount(), m_options.discoveryTimeoutSeconds, this);
    connect(discovery, &Discovery::finished, this, [this](const QVector<DiscoveredExecutable> &results) {
        int exitCode = 0;
        for (const DiscoveredExecutable &executable : results) {
            if (!executable.error.isEmpty()) {
                m_err->write(executable.error.toUtf8() + '\n');
                exitCode = 8;
                continue;
            }
            QVector<TestCase> cases = executable.cases;
            for (TestCase &testCase : cases)
                testCase.framework = m_options.framework;
            const QVector<Unit> units = groupIntoUnits(cases, {}, m_options.groupBy);
            m_out->write(QStringLiteral("%1: %2 cases in %3 %4 groups\n")
                             .arg(executable.executable)
                             .arg(cases.size())
                             .arg(units.size())
                             .arg(groupByName(m_options.groupBy))
                             .toUtf8());
            for (const Unit &unit : units) {
                m_out->write(QStringLiteral("  group %1\n").arg(unit.group.section(QLatin1Char('\x1f'), -1)).toUtf8());
                for (int index : unit.cases)
                    m_out->write(QStringLiteral("    %1\n").arg(cases[index].displayName).toUtf8());
            }
            for (const TestCase &testCase : qAsConst(cases)) {
                if (testCase.disabled)
                    m_out->write(QStringLiteral("  disabled: %1\n").arg(testCase.displayName).toUtf8());
            }
        }
        Q_EMIT finished(exitCode);
    });
    discovery->start();
}

} // namespace ctestd
