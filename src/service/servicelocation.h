// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QString>

namespace ctestd {

// Where the `ctestd serve` daemon of one build tree lives, so that every
// `ctestd case` client of that tree finds the same one.
struct ServiceLocation {
    QString buildDirectory; // absolute, cleaned
    QString stateDirectory; // <build>/.ctestd, private: the key and the locks
    QString keyPath; // the daemon's key, hex, readable by the owner only
    QString startLockPath; // held by a client while it starts a daemon
    QString serveLockPath; // held by the daemon for its whole life
    // A file naming the daemon's socket. The socket itself is in a fresh
    // directory that mkdtemp() made private under $XDG_RUNTIME_DIR or the
    // temporary directory (a short path: local sockets allow 107 bytes), so
    // no other user can name, plant or hijack it in advance, and a tree
    // configured anew at the same path never meets an older daemon's socket.
    QString socketNamePath;
};

ServiceLocation serviceLocation(const QString &buildDirectory);

} // namespace ctestd
