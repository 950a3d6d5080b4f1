// SPDX-License-Identifier: BSD-3-Clause
#include "boostadapter.h"

namespace ctestd {

namespace {
class SkeletonParser final : public OutputParser {
public:
    ParsedLine parseStdoutLine(const QByteArray &) override { return {}; }
    QHash<QString, CaseResult> structuredResults() override { return {}; }
};
} // namespace

QStringList BoostTestAdapter::listArguments(const QString &, const QString &) const
{
    return {};
}

bool BoostTestAdapter::parseListing(
    const QByteArray &, const QByteArray &, const QString &, QVector<TestCase> *, QString *error) const
{
    *error = QStringLiteral("Boost.Test support is not built yet");
    return false;
}

bool BoostTestAdapter::prepareRun(
    const QString &, const QStringList &, const QString &, RunSpec *, QString *error) const
{
    *error = QStringLiteral("Boost.Test support is not built yet");
    return false;
}

std::unique_ptr<OutputParser> BoostTestAdapter::createOutputParser(const QString &, const QStringList &) const
{
    return std::make_unique<SkeletonParser>();
}

} // namespace ctestd
