// SPDX-License-Identifier: BSD-3-Clause
#include "reportfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QTemporaryFile>

namespace ctestd {

namespace {
bool isSpecialNode(const QFileInfo &node)
{
    return node.exists() && !node.isFile() && !node.isDir();
}
} // namespace

bool checkReportDestination(const QString &path, const QString &what, QString *error)
{
    const QFileInfo file(path);
    if (isSpecialNode(file)) {
        if (file.isWritable())
            return true;
        *error = QStringLiteral("cannot write %1 %2: it is not writable").arg(what, path);
        return false;
    }
    const QString folder = file.absolutePath();
    if (!QDir().mkpath(folder)) {
        *error = QStringLiteral("cannot write %1 %2: cannot create the folder %3").arg(what, path, folder);
        return false;
    }
    QTemporaryFile probe(folder + QStringLiteral("/.ctestd-probe-XXXXXX"));
    if (!probe.open()) {
        *error = QStringLiteral("cannot write %1 %2: %3").arg(what, path, probe.errorString());
        return false;
    }
    return true;
}

bool writeReportFile(const QString &path, const QByteArray &bytes, QString *error)
{
    if (isSpecialNode(QFileInfo(path))) {
        QFile direct(path);
        if (!direct.open(QIODevice::WriteOnly | QIODevice::Unbuffered) || direct.write(bytes) != bytes.size()) {
            *error = direct.errorString();
            return false;
        }
        return true;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = file.errorString();
        return false;
    }
    if (file.write(bytes) != bytes.size()) {
        *error = file.errorString();
        file.cancelWriting();
        return false;
    }
    if (!file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace ctestd
