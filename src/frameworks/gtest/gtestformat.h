// SPDX-License-Identifier: BSD-3-Clause
#pragma once

// What gtest writes that both its listing and its run are read from: the
// names it can list and its JSON reports (--gtest_output=json), which share
// one shape.

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace ctestd::gtest {

// Whether a name as gtest lists it can be one: not blank at either end and
// without '#', which starts gtest's parameter comment. Inner spaces occur: a
// typed suite's name generator may return any string ("b c").
bool isListableName(const QString &s);

// gtest escapes JSON strings byte by byte, and with a signed `char` every byte
// >= 0x80 comes out as "\u00XX" (so UTF-8 "ü" reads back as "Ã¼"). Where that
// is the case, take the code units back as bytes and decode them as UTF-8.
QString gtestJsonString(const QJsonValue &value);

// Calls `visit(suite, case, object)` for every case of a gtest JSON report
// (the listing and the results share the shape).
template<typename Visit> void forEachGTestJsonCase(const QJsonObject &report, Visit visit)
{
    const QJsonArray suites = report.value(QLatin1String("testsuites")).toArray();
    for (const QJsonValue &suiteValue : suites) {
        const QJsonObject suite = suiteValue.toObject();
        const QString suiteName = gtestJsonString(suite.value(QLatin1String("name")));
        const QJsonArray tests = suite.value(QLatin1String("testsuite")).toArray();
        for (const QJsonValue &testValue : tests) {
            const QJsonObject test = testValue.toObject();
            visit(suiteName, gtestJsonString(test.value(QLatin1String("name"))), test);
        }
    }
}

// Reads a JSON report or listing gtest wrote. Where `char` is unsigned, gtest
// copies bytes >= 0x80 raw, which may not be UTF-8; those are decoded leniently.
bool readGTestJson(const QString &path, QJsonObject *root);

} // namespace ctestd::gtest
