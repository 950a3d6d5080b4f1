// SPDX-License-Identifier: BSD-3-Clause
#include "registry.h"

#include "boost/boostadapter.h"
#include "catch2/catch2adapter.h"
#include "doctest/doctestadapter.h"
#include "plain/plainadapter.h"
#include "qtest/qtestadapter.h"
#include "gtest/gtestadapter.h"

namespace ctestd {

namespace {
template<typename Adapter> std::unique_ptr<FrameworkAdapter> make()
{
    return std::make_unique<Adapter>();
}
} // namespace

const QVector<FrameworkEntry> &frameworkRegistry()
{
    static const QVector<FrameworkEntry> registry = {
        // GoogleTest linked statically (its help text) or as a shared library.
        {QStringLiteral("gtest"), make<GTestAdapter>,
            {QByteArrayLiteral("--gtest_list_tests"), QByteArrayLiteral("libgtest.so"),
                QByteArrayLiteral("libgtest_main.so")},
            4},
        // Recognised only by the library it needs, so looked for last.
        {QStringLiteral("qtest"), make<QTestAdapter>,
            {QByteArrayLiteral("libQt5Test.so"), QByteArrayLiteral("libQt6Test.so")}, 5},
        // Catch2 v2's help text; v3's (which dropped the former); v3 as a shared library.
        {QStringLiteral("catch2"), make<Catch2Adapter>,
            {QByteArrayLiteral("--list-test-names-only"), QByteArrayLiteral("--list-listeners"),
                QByteArrayLiteral("libCatch2")},
            2},
        // doctest prints "[doctest] " before every message of its own.
        {QStringLiteral("doctest"), make<DoctestAdapter>, {QByteArrayLiteral("[doctest] ")}, 1},
        // Boost.Test's shared library, its mangled namespace, the header-only variant's strings.
        {QStringLiteral("boost"), make<BoostTestAdapter>,
            {QByteArrayLiteral("libboost_unit_test_framework"), QByteArrayLiteral("_ZN5boost9unit_test"),
                QByteArrayLiteral("boost.test")},
            3},
        // Any other executable: one case, judged by ctest's rules.
        {QStringLiteral("plain"), make<PlainAdapter>, {}, 0},
    };
    return registry;
}

std::unique_ptr<FrameworkAdapter> createFrameworkAdapter(const QString &name)
{
    for (const FrameworkEntry &entry : frameworkRegistry()) {
        if (entry.name == name)
            return entry.create();
    }
    return nullptr;
}

QStringList frameworkNames()
{
    QStringList names;
    for (const FrameworkEntry &entry : frameworkRegistry())
        names.append(entry.name);
    return names;
}

} // namespace ctestd
