// SPDX-License-Identifier: BSD-3-Clause
#include "catch2adapter.h"

namespace ctestd {

namespace {
class SkeletonParser final : public OutputParser {
public:
    ParsedLine parseStdoutLine(const QByteArray &) override { return {}; }
    QHash<QString, CaseResult> structuredResults() override { return {}; }
};
} // namespace

QStringList Catch2Adapter::listArguments(const QString &, const QString &) const
{
    return {};
}

bool Catch2Adapter::parseListing(
    const QByteArray &, const QByteArray &, const QString &, QVector<TestCase> *, QString *error) const
{
    *error = QStringLiteral("Catch2 support is not built yet");
    return false;
}

bool Catch2Adapter::prepareRun(const QString &, const QStringList &, const QString &, RunSpec *, QString *error) const
{
    *error = QStringLiteral("Catch2 support is not built yet");
    return false;
}

std::unique_ptr<OutputParser> Catch2Adapter::createOutputParser(const QString &, const QStringList &) const
{
    return std::make_unique<SkeletonParser>();
}

} // namespace ctestd
