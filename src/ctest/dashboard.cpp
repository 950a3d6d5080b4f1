// SPDX-License-Identifier: BSD-3-Clause
#include "dashboard.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace ctestd::ctest {

QString Dashboard::testXmlPath() const
{
    return QDir(buildTree).filePath(QStringLiteral("Testing/%1/Test.xml").arg(tag));
}

QByteArray Dashboard::headerErr() const
{
    if (dartConfigurationFound)
        return QByteArray();
    return "Cannot find file: " + QDir(buildTree).filePath(QStringLiteral("DartConfiguration.tcl")).toUtf8() + '\n';
}

QByteArray Dashboard::headerOut() const
{
    QByteArray out = "   Site: " + site.toUtf8() + "\n   Build name: " + buildName.toUtf8() + '\n';
    if (tagCreated)
        out += "Create new tag: " + tag.toUtf8() + " - " + model.toUtf8() + '\n';
    return out;
}

void readDartConfiguration(const QByteArray &text, Dashboard *dashboard)
{
    const QList<QByteArray> lines = text.split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("Site:"))
            dashboard->site = QString::fromUtf8(line.mid(5).trimmed());
        else if (line.startsWith("BuildName:"))
            dashboard->buildName = QString::fromUtf8(line.mid(10).trimmed());
    }
    if (dashboard->buildName.isEmpty())
        dashboard->buildName = QStringLiteral("(empty)");
}

bool openDashboard(const QString &buildTree, const QDateTime &nowUtc, Dashboard *dashboard, QString *error)
{
    dashboard->buildTree = buildTree;
    QFile dart(QDir(buildTree).filePath(QStringLiteral("DartConfiguration.tcl")));
    dashboard->dartConfigurationFound = dart.open(QIODevice::ReadOnly);
    readDartConfiguration(dashboard->dartConfigurationFound ? dart.readAll() : QByteArray(), dashboard);

    const QString tagFile = QDir(buildTree).filePath(QStringLiteral("Testing/TAG"));
    QFile existing(tagFile);
    if (existing.open(QIODevice::ReadOnly)) {
        const QString tag = QString::fromUtf8(existing.readLine()).trimmed();
        const QString model = QString::fromUtf8(existing.readLine()).trimmed();
        // ctest reads the date with sscanf("%04d%02d%02d-%02d%02d").
        if (tag.size() >= 8 && tag.left(8) == nowUtc.toString(QStringLiteral("yyyyMMdd"))) {
            dashboard->tag = tag;
            if (!model.isEmpty())
                dashboard->model = model;
            return true;
        }
    }
    dashboard->tag = nowUtc.toString(QStringLiteral("yyyyMMdd-hhmm"));
    dashboard->tagCreated = true;
    if (!QDir().mkpath(QFileInfo(tagFile).absolutePath())) {
        *error = QStringLiteral("cannot create %1").arg(QFileInfo(tagFile).absolutePath());
        return false;
    }
    QSaveFile file(tagFile);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write %1: %2").arg(tagFile, file.errorString());
        return false;
    }
    // The tag, the model, and the group (the model's name for Experimental).
    file.write(dashboard->tag.toUtf8() + '\n' + dashboard->model.toUtf8() + '\n' + dashboard->model.toUtf8() + '\n');
    if (!file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(tagFile, file.errorString());
        return false;
    }
    return true;
}

} // namespace ctestd::ctest
