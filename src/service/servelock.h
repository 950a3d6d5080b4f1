// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QString>

namespace ctestd {

// The lock a build tree's daemon holds for its whole life: flock() on
// B/.ctestd/serve.lock. The kernel releases it when the daemon dies, however
// it dies, and it belongs to the open file, not the path: a daemon whose tree
// was deleted and configured again holds a lock on a file that is gone, and
// neither blocks nor removes the new daemon's. (A QLockFile judges its
// owner by PID and program name, and unlinks the path when released: an
// old daemon exiting removed a new one's lock, and a rebuilt ctestd looked
// dead to it.) The file holds the owner's PID, for people and tests.
class ServeLock {
public:
    ServeLock() = default;
    ~ServeLock(); // releases the lock; the file stays
    ServeLock(const ServeLock &) = delete;
    ServeLock &operator=(const ServeLock &) = delete;

    // Takes the lock at `path` (creating the file), waiting up to
    // `timeoutMs` for another process to release it. False with `held` set
    // when another process holds it, or with the reason in `error`.
    [[nodiscard]] bool acquire(const QString &path, int timeoutMs, bool *held, QString *error);

    // Whether some process holds the lock at `path` now.
    static bool isHeld(const QString &path);

private:
    int m_fd = -1;
};

} // namespace ctestd
