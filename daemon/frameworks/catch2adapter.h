// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "adapter.h"

namespace ctestd {

// Catch2. SKELETON: to be replaced by the real adapter.
class Catch2Adapter final : public FrameworkAdapter {
public:
    QString name() const override { return QStringLiteral("catch2"); }
    GroupBy defaultGroupBy() const override { return GroupBy::Executable; }
    QStringList listArguments(const QString &executable, const QString &scratchDir) const override;
    bool parseListing(const QByteArray &stdOut, const QByteArray &stdErr, const QString &scratchDir,
        QVector<TestCase> *cases, QString *error) const override;
    bool prepareRun(const QString &executable, const QStringList &selectors, const QString &scratchDir, RunSpec *spec,
        QString *error) const override;
    std::unique_ptr<OutputParser> createOutputParser(
        const QString &scratchDir, const QStringList &selectors) const override;
};

} // namespace ctestd
