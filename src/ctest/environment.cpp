// SPDX-License-Identifier: BSD-3-Clause
#include "environment.h"

#include <limits>

namespace ctestd::ctest {

namespace {
// C's atoi(): leading white space, a sign, then digits; anything else ends
// the number, and no digits at all is 0.
int atoi(const QString &text)
{
    int i = 0;
    while (i < text.size() && text.at(i).isSpace())
        ++i;
    bool negative = false;
    if (i < text.size() && (text.at(i) == QLatin1Char('-') || text.at(i) == QLatin1Char('+')))
        negative = text.at(i++) == QLatin1Char('-');
    qint64 value = 0;
    for (; i < text.size() && text.at(i) >= QLatin1Char('0') && text.at(i) <= QLatin1Char('9'); ++i)
        value = qMin<qint64>(value * 10 + (text.at(i).unicode() - '0'), std::numeric_limits<int>::max());
    return int(negative ? -value : value);
}
} // namespace

bool isOff(const QString &value)
{
    const QString upper = value.toUpper();
    return upper.isEmpty() || upper == QLatin1String("0") || upper == QLatin1String("OFF")
        || upper == QLatin1String("NO") || upper == QLatin1String("FALSE") || upper == QLatin1String("N")
        || upper == QLatin1String("IGNORE") || upper == QLatin1String("NOTFOUND")
        || upper.endsWith(QLatin1String("-NOTFOUND"));
}

EnvironmentDefaults environmentDefaults(const QProcessEnvironment &environment)
{
    EnvironmentDefaults defaults;
    if (environment.contains(QStringLiteral("CTEST_PARALLEL_LEVEL")))
        defaults.parallelLevel = qMax(1, atoi(environment.value(QStringLiteral("CTEST_PARALLEL_LEVEL"))));
    defaults.outputOnFailure = environment.contains(QStringLiteral("CTEST_OUTPUT_ON_FAILURE"))
        && !isOff(environment.value(QStringLiteral("CTEST_OUTPUT_ON_FAILURE")));
    defaults.progress = environment.contains(QStringLiteral("CTEST_PROGRESS_OUTPUT"))
        && !isOff(environment.value(QStringLiteral("CTEST_PROGRESS_OUTPUT")));
    const QString noTests = environment.value(QStringLiteral("CTEST_NO_TESTS_ACTION"));
    if (noTests == QLatin1String("error"))
        defaults.noTestsIsError = true;
    else if (noTests == QLatin1String("ignore"))
        defaults.noTestsIsError = false;
    return defaults;
}

} // namespace ctestd::ctest
