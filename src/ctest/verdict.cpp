// SPDX-License-Identifier: BSD-3-Clause
#include "verdict.h"

#include "regex.h"

#include <optional>

namespace ctestd::ctest {

namespace {

// The first non-empty pattern of the list that matches, if any.
std::optional<QString> firstMatch(const QStringList &patterns, const QByteArray &output)
{
    for (const QString &pattern : patterns) {
        if (pattern.isEmpty())
            continue;
        if (Regex(pattern).find(output))
            return pattern;
    }
    return std::nullopt;
}

bool hasAny(const QStringList &patterns)
{
    for (const QString &pattern : patterns) {
        if (!pattern.isEmpty())
            return true;
    }
    return false;
}

} // namespace

QByteArray ctestOutput(const QByteArray &raw)
{
    QByteArray out;
    out.reserve(raw.size() + 1);
    int first = 0;
    for (int i = 0; i < raw.size(); ++i) {
        const char c = raw.at(i);
        if (c != '\n' && c != '\0')
            continue;
        int end = i;
        while (end > first && raw.at(end - 1) == '\r')
            --end;
        out.append(raw.constData() + first, end - first);
        out.append('\n');
        first = i + 1;
    }
    if (first < raw.size()) {
        out.append(raw.constData() + first, raw.size() - first);
        out.append('\n');
    }
    return out;
}

Verdict decide(const ResultRules &rules, const ProcessOutcome &outcome, const QByteArray &rawOutput)
{
    const QByteArray output = ctestOutput(rawOutput);
    Verdict v;
    bool forceFail = false;
    bool forceSkip = false;

    const bool hasPassRegex = hasAny(rules.passRegex);
    if (hasPassRegex) {
        if (const auto found = firstMatch(rules.passRegex, output)) {
            v.detail = QStringLiteral("Required regular expression found. Regex=[%1]").arg(*found);
        } else {
            v.detail = QStringLiteral("Required regular expression not found. Regex=[");
            for (const QString &pattern : rules.passRegex) {
                if (pattern.isEmpty())
                    continue;
                v.detail += pattern;
                v.detail += QLatin1Char('\n');
            }
            v.detail += QLatin1Char(']');
            forceFail = true;
        }
    }
    if (const auto found = firstMatch(rules.failRegex, output)) {
        v.detail = QStringLiteral("Error regular expression found in output. Regex=[%1]").arg(*found);
        forceFail = true;
    }
    if (const auto found = firstMatch(rules.skipRegex, output)) {
        v.detail = QStringLiteral("Skip regular expression found in output. Regex=[%1]").arg(*found);
        forceSkip = true;
    }

    if (outcome.timedOut) {
        v.status = Status::Timeout;
        v.junitMessage = v.detail;
        return v;
    }
    if (outcome.signal != 0) {
        v.status = Status::Crashed;
        v.junitMessage = v.detail;
        return v;
    }

    const bool skipCode = rules.skipReturnCode >= 0 && rules.skipReturnCode == outcome.exitCode;
    if (forceSkip || skipCode) {
        v.status = Status::Skipped;
        v.junitMessage = forceSkip ? QStringLiteral("SKIP_REGULAR_EXPRESSION_MATCHED")
                                   : QStringLiteral("SKIP_RETURN_CODE=%1").arg(rules.skipReturnCode);
        return v;
    }
    const bool success = !forceFail && (outcome.exitCode == 0 || hasPassRegex);
    if (success != rules.willFail) {
        v.status = Status::Passed;
        return v;
    }
    v.status = Status::Failed;
    v.reason = v.detail;
    v.junitMessage = v.detail;
    return v;
}

} // namespace ctestd::ctest
