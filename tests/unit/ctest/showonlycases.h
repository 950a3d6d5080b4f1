// SPDX-License-Identifier: BSD-3-Clause
// The project behind data/showonly (project-CMakeLists.txt) and the ctest
// command lines of data/showonly/cases.json, for tst_ctestselection and
// tst_ctestshowonly.
#pragma once

#include "ctest/costdata.h"
#include "ctest/selection.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace showonlycases {

inline QString dataDir()
{
    return QStringLiteral(CTESTD_TEST_DATA_DIR "/showonly/");
}

inline QByteArray readData(const QString &name)
{
    QFile file(dataDir() + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing test data %s", qPrintable(name));
    return file.readAll();
}

inline QStringList strings(std::initializer_list<const char *> items)
{
    QStringList list;
    for (const char *item : items)
        list.append(QString::fromUtf8(item));
    return list;
}

inline ctestd::ctest::TestInfo test(int index, const char *name)
{
    ctestd::ctest::TestInfo t;
    t.index = index;
    t.name = QString::fromUtf8(name);
    return t;
}

// The tests of data/showonly/project-CMakeLists.txt, as json-v1 gives them.
inline QVector<ctestd::ctest::TestInfo> projectTests()
{
    QVector<ctestd::ctest::TestInfo> tests;
    auto t = test(1, "setupA");
    t.fixturesSetup = strings({"A"});
    tests.append(t);
    t = test(2, "useA");
    t.fixturesRequired = strings({"A"});
    t.labels = strings({"x", "y"});
    tests.append(t);
    t = test(3, "cleanA");
    t.fixturesCleanup = strings({"A"});
    tests.append(t);
    t = test(4, "setupB");
    t.fixturesSetup = strings({"B"});
    t.fixturesRequired = strings({"A"});
    tests.append(t);
    t = test(5, "useB");
    t.fixturesRequired = strings({"B"});
    t.labels = strings({"y"});
    tests.append(t);
    t = test(6, "plain1");
    t.labels = strings({"x"});
    tests.append(t);
    t = test(7, "plain2");
    t.labels = strings({"z"});
    tests.append(t);
    t = test(8, "setupC");
    t.fixturesSetup = strings({"C"});
    tests.append(t);
    t = test(9, "offC");
    t.fixturesRequired = strings({"C"});
    t.disabled = true;
    tests.append(t);
    t = test(10, "Name with space");
    t.labels = strings({"a b"});
    tests.append(t);
    return tests;
}

inline QJsonArray cases()
{
    return QJsonDocument::fromJson(readData(QStringLiteral("cases.json"))).array();
}

// A cases.json entry as selection options: its ctest arguments and the
// LastTestsFailed.log the run had (absent: none was written for it).
inline ctestd::ctest::SelectionOptions optionsFromCase(const QJsonObject &c)
{
    ctestd::ctest::SelectionOptions options;
    const QJsonArray args = c.value(QLatin1String("args")).toArray();
    for (int i = 0; i < args.size(); ++i) {
        const QString arg = args.at(i).toString();
        const QString next = args.at(i + 1).toString();
        if (arg == QLatin1String("-R")) {
            options.includeRegex = next;
            ++i;
        } else if (arg == QLatin1String("-E")) {
            options.excludeRegex = next;
            ++i;
        } else if (arg == QLatin1String("-L")) {
            options.includeLabels.append(next);
            ++i;
        } else if (arg == QLatin1String("-LE")) {
            options.excludeLabels.append(next);
            ++i;
        } else if (arg == QLatin1String("-I")) {
            options.testsInformation = next;
            ++i;
        } else if (arg == QLatin1String("-FA")) {
            options.fixtureExcludeAny = next;
            ++i;
        } else if (arg == QLatin1String("-FS")) {
            options.fixtureExcludeSetup = next;
            ++i;
        } else if (arg == QLatin1String("-FC")) {
            options.fixtureExcludeCleanup = next;
            ++i;
        } else if (arg == QLatin1String("-U")) {
            options.useUnion = true;
        } else if (arg == QLatin1String("--rerun-failed")) {
            options.rerunFailed = true;
        } else {
            qFatal("unknown argument in cases.json: %s", qPrintable(arg));
        }
    }
    const QJsonValue ltf = c.value(QLatin1String("ltf"));
    if (ltf.isString()) {
        for (const auto &failed : ctestd::ctest::parseLastTestsFailed(ltf.toString().toUtf8()))
            options.rerunNumbers.append(failed.number);
    }
    return options;
}

} // namespace showonlycases
