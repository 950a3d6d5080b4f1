// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "frameworks/adapter.h"
#include "model/defaults.h"

namespace ctestd {

// A test executable that knows no framework: one process is one case, and
// CTest's rules (exit code, regexes, WILL_FAIL, SKIP_RETURN_CODE) decide its
// status when it exits. Used for add_test() tests that are not discovered
// cases of a framework.
class PlainAdapter final : public FrameworkAdapter {
public:
    // Run outside a CTest tree (`ctestd prog`, ctestd_discover_tests), a plain
    // executable that exits with this code is skipped: the autotools
    // convention, which ctest honours through SKIP_RETURN_CODE.
    static constexpr int skipReturnCode = defaults::SkipExitCode;

    QString name() const override { return QStringLiteral("plain"); }
    GroupBy defaultGroupBy() const override { return GroupBy::Case; }
    bool reportsCases() const override { return false; }
    bool isNormalExit(int) const override { return true; }

    // The executable is its one case, named after the file.
    QStringList listArguments(const QString &executable, const QString &scratchDir) const override;
    bool parseListing(const QByteArray &stdOut, const QByteArray &stdErr, const QString &scratchDir,
        QVector<TestCase> *cases, QString *error) const override;
    bool prepareRun(const QString &executable, const QStringList &selectors, const QString &scratchDir, RunSpec *spec,
        QString *error) const override;
    std::unique_ptr<OutputParser> createOutputParser(
        const QString &scratchDir, const QStringList &selectors) const override;
};

} // namespace ctestd
