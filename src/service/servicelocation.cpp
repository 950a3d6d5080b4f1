// SPDX-License-Identifier: BSD-3-Clause
#include "servicelocation.h"

#include <QDir>

namespace ctestd {

ServiceLocation serviceLocation(const QString &buildDirectory)
{
    ServiceLocation location;
    location.buildDirectory = QDir::cleanPath(QDir(buildDirectory).absolutePath());
    location.stateDirectory = location.buildDirectory + QStringLiteral("/.ctestd");
    location.keyPath = location.stateDirectory + QStringLiteral("/key");
    location.startLockPath = location.stateDirectory + QStringLiteral("/start.lock");
    location.serveLockPath = location.stateDirectory + QStringLiteral("/serve.lock");
    location.socketNamePath = location.stateDirectory + QStringLiteral("/socket");
    return location;
}

} // namespace ctestd
