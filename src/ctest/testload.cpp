// SPDX-License-Identifier: BSD-3-Clause
#include "testload.h"

#include <QFile>
#include <QList>

namespace ctestd::ctest {

double systemLoadAverage(const QProcessEnvironment &environment)
{
    const QString fake = environment.value(QStringLiteral("__CTEST_FAKE_LOAD_AVERAGE_FOR_TESTING"));
    if (!fake.isEmpty())
        return fake.toDouble();
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return file.readLine().split(' ').value(0).toDouble();
}

bool loadAllowsStart(int limit, double load, bool anythingRunning, int processors)
{
    if (limit <= 0 || !anythingRunning)
        return true;
    const long whole = static_cast<long>(load); // ctest keeps an unsigned long
    return whole < limit && processors <= limit - whole;
}

int dartTestLoad(const QByteArray &dartConfiguration)
{
    const QList<QByteArray> lines = dartConfiguration.split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("TestLoad:"))
            return qMax(0, line.mid(9).trimmed().toInt());
    }
    return 0;
}

} // namespace ctestd::ctest
