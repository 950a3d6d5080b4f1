// SPDX-License-Identifier: BSD-3-Clause
#include "detection.h"

#include "core/logging.h"

#include <QFile>
#include <QVector>

#include <algorithm>
#include <functional>

namespace ctestd {

namespace {

struct Markers {
    const char *framework;
    QByteArrayList strings;
};

// Checked in this order; the first framework with a marker wins. Frameworks
// whose binaries also link Qt (a GoogleTest suite using QSignalSpy) come
// before Qt Test, which is recognised only by the library it needs.
const QVector<Markers> &markerTable()
{
    static const QVector<Markers> table = {
        // doctest prints "[doctest] " before every message of its own.
        {"doctest", {QByteArrayLiteral("[doctest] ")}},
        // Catch2 v2's help text; v3's (which dropped the former); v3 as a shared library.
        {"catch2",
            {QByteArrayLiteral("--list-test-names-only"), QByteArrayLiteral("--list-listeners"),
                QByteArrayLiteral("libCatch2")}},
        // Boost.Test's shared library, its mangled namespace, the header-only variant's strings.
        {"boost",
            {QByteArrayLiteral("libboost_unit_test_framework"), QByteArrayLiteral("_ZN5boost9unit_test"),
                QByteArrayLiteral("boost.test")}},
        // GoogleTest linked statically (its help text) or as a shared library.
        {"gtest",
            {QByteArrayLiteral("--gtest_list_tests"), QByteArrayLiteral("libgtest.so"),
                QByteArrayLiteral("libgtest_main.so")}},
        {"qtest", {QByteArrayLiteral("libQt5Test.so"), QByteArrayLiteral("libQt6Test.so")}},
    };
    return table;
}

bool containsAny(const uchar *data, qint64 size, const QByteArrayList &markers)
{
    const auto *begin = reinterpret_cast<const char *>(data);
    const auto *end = begin + size;
    for (const QByteArray &marker : markers) {
        const std::boyer_moore_horspool_searcher searcher(marker.cbegin(), marker.cend());
        if (std::search(begin, end, searcher) != end)
            return true;
    }
    return false;
}

} // namespace

bool fileContainsAny(const QString &path, const QByteArrayList &markers)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || file.size() == 0)
        return false;
    // Mapped, not read: test binaries with debug information are often
    // hundreds of megabytes.
    const uchar *data = file.map(0, file.size());
    if (!data)
        return false;
    return containsAny(data, file.size(), markers);
}

QString detectFramework(const QString &executable)
{
    QFile file(executable);
    if (file.open(QIODevice::ReadOnly) && file.size() > 0) {
        if (const uchar *data = file.map(0, file.size())) {
            for (const Markers &markers : markerTable()) {
                if (containsAny(data, file.size(), markers.strings)) {
                    qCDebug(lcDaemon) << executable << "looks like" << markers.framework;
                    return QString::fromLatin1(markers.framework);
                }
            }
        }
    }
    qCDebug(lcDaemon) << executable << "has no framework marker; running it as a plain test";
    return QStringLiteral("plain");
}

} // namespace ctestd
