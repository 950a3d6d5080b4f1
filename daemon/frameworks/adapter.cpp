// SPDX-License-Identifier: BSD-3-Clause
#include "adapter.h"

#include "gtestadapter.h"
#include "plainadapter.h"

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
    if (name == QLatin1String("plain"))
        return std::make_unique<PlainAdapter>();
    return nullptr;
}

} // namespace ctestd
