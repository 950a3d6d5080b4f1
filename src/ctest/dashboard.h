// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace ctestd::ctest {

// What `ctest -T Test` starts from: the build tree's DartConfiguration.tcl
// (written by include(CTest)) and its Testing/TAG, which names the folder
// Testing/<tag>/ that Test.xml goes into.
struct Dashboard {
    QString buildTree;
    bool dartConfigurationFound = false;
    QString site; // "Site:", or empty
    QString buildName; // "BuildName:", or "(empty)"
    QString tag; // "20261206-1908"
    QString model = QStringLiteral("Experimental");
    bool tagCreated = false; // no TAG of today's date (UTC) was there

    QString testXmlPath() const; // <tree>/Testing/<tag>/Test.xml
    // What ctest prints before "Test project": on stderr (a missing
    // DartConfiguration.tcl, twice, around the stdout lines) and stdout.
    QByteArray headerErr() const;
    QByteArray headerOut() const;
};

// The "Site:"/"BuildName:" fields of a DartConfiguration.tcl text.
void readDartConfiguration(const QByteArray &text, Dashboard *dashboard);

// ctest 3.25's Testing/TAG rule (cmCTest::Initialize): the tag in TAG is
// kept when its date is today's (UTC); otherwise, or without a TAG, a new
// tag "yyyyMMdd-hhmm" (UTC) is written with the Experimental model. False,
// with `error`, when the new TAG cannot be written.
[[nodiscard]] bool openDashboard(
    const QString &buildTree, const QDateTime &nowUtc, Dashboard *dashboard, QString *error);

} // namespace ctestd::ctest
