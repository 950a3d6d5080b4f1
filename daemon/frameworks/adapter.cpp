// SPDX-License-Identifier: BSD-3-Clause
#include "adapter.h"

#include "boostadapter.h"
#include "catch2adapter.h"
#include "doctestadapter.h"
#include "gtestadapter.h"
#include "plainadapter.h"
#include "qtestadapter.h"

namespace ctestd {

QString FrameworkAdapter::groupKey(const TestCase &testCase, GroupBy groupBy) const
{
    switch (groupBy) {
    case GroupBy::Case:
        return testCase.selector;
    case GroupBy::Suite:
        return testCase.suite;
    case GroupBy::Executable:
        break;
    }
    return QString();
}

std::unique_ptr<FrameworkAdapter> createFrameworkAdapter(const QString &name)
{
    if (name == QLatin1String("gtest"))
        return std::make_unique<GTestAdapter>();
    if (name == QLatin1String("qtest"))
        return std::make_unique<QTestAdapter>();
    if (name == QLatin1String("catch2"))
        return std::make_unique<Catch2Adapter>();
    if (name == QLatin1String("doctest"))
        return std::make_unique<DoctestAdapter>();
    if (name == QLatin1String("boost"))
        return std::make_unique<BoostTestAdapter>();
    if (name == QLatin1String("plain"))
        return std::make_unique<PlainAdapter>();
    return nullptr;
}

QStringList frameworkNames()
{
    return {QStringLiteral("gtest"), QStringLiteral("qtest"), QStringLiteral("catch2"), QStringLiteral("doctest"),
        QStringLiteral("boost"), QStringLiteral("plain")};
}

} // namespace ctestd
