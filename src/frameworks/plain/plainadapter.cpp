// SPDX-License-Identifier: BSD-3-Clause
#include "plainadapter.h"

namespace ctestd {

namespace {
class PlainOutputParser final : public OutputParser {
public:
    ParsedLine parseStdoutLine(const QByteArray &) override { return {}; }
    QHash<QString, CaseResult> structuredResults() override { return {}; }
};
} // namespace

QStringList PlainAdapter::listArguments(const QString &, const QString &) const
{
    return {};
}

bool PlainAdapter::parseListing(
    const QByteArray &, const QByteArray &, const QString &, QVector<TestCase> *, QString *error) const
{
    // Never asked: a plain executable is not run to list anything.
    *error = QStringLiteral("plain executables have no listing");
    return false;
}

bool PlainAdapter::prepareRun(
    const QString &, const QStringList &selectors, const QString &, RunSpec *, QString *error) const
{
    if (selectors.size() != 1) {
        *error = QStringLiteral("a plain executable runs as exactly one case, not %1").arg(selectors.size());
        return false;
    }
    return true; // its arguments are the unit's extra arguments
}

std::unique_ptr<OutputParser> PlainAdapter::createOutputParser(const QString &, const QStringList &) const
{
    return std::make_unique<PlainOutputParser>();
}

} // namespace ctestd
