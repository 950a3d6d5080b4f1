// SPDX-License-Identifier: BSD-3-Clause
#include "servicelocation.h"

#include <QCryptographicHash>
#include <QDir>

#include <unistd.h>

namespace ctestd {

ServiceLocation serviceLocation(const QString &buildDirectory)
{
    ServiceLocation location;
    location.buildDirectory = QDir::cleanPath(QDir(buildDirectory).absolutePath());
    location.stateDirectory = location.buildDirectory + QStringLiteral("/.ctestd");
    location.keyPath = location.stateDirectory + QStringLiteral("/key");
    location.startLockPath = location.stateDirectory + QStringLiteral("/start.lock");
    location.serveLockPath = location.stateDirectory + QStringLiteral("/serve.lock");
    QString base = qEnvironmentVariable("XDG_RUNTIME_DIR");
    if (base.isEmpty())
        base = QDir::tempPath();
    const QByteArray hash
        = QCryptographicHash::hash(location.buildDirectory.toUtf8(), QCryptographicHash::Sha256).toHex().left(24);
    location.socketPath
        = QStringLiteral("%1/ctestd-%2/%3.sock").arg(base).arg(::getuid()).arg(QString::fromLatin1(hash));
    return location;
}

} // namespace ctestd
