// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "runner/discovery.h"
#include "runner/runcontroller.h"

#include <QJsonArray>

namespace ctestd {

// `ctestd list`: lists the cases of the executables and the fixture groups a
// run would use, without running anything; with --json, in a form a build
// system can register tests from.
class ListCommand : public QObject {
    Q_OBJECT
public:
    ListCommand(const RunOptions &options, QIODevice *out, QIODevice *err, QObject *parent = nullptr);
    ~ListCommand() override;
    void start();

Q_SIGNALS:
    void finished(int exitCode);

private:
    static QJsonArray casesToJson(const QVector<TestCase> &cases);
    void writeText(const DiscoveredExecutable &executable, GroupBy groupBy, const QVector<TestCase> &cases,
        const QVector<Unit> &units);

    RunOptions m_options;
    QIODevice *m_out;
    QIODevice *m_err;
};

} // namespace ctestd
