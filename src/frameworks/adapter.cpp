// SPDX-License-Identifier: BSD-3-Clause
#include "adapter.h"

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

} // namespace ctestd
