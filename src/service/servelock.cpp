// SPDX-License-Identifier: BSD-3-Clause
#include "servelock.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QFile>
#include <QThread>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace ctestd {

ServeLock::~ServeLock()
{
    if (m_fd >= 0)
        ::close(m_fd); // releases the flock
}

bool ServeLock::acquire(const QString &path, int timeoutMs, bool *held, QString *error)
{
    *held = false;
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        *error = QStringLiteral("cannot open %1: %2").arg(path, QString::fromLocal8Bit(::strerror(errno)));
        return false;
    }
    QElapsedTimer clock;
    clock.start();
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
            *error = QStringLiteral("cannot lock %1: %2").arg(path, QString::fromLocal8Bit(::strerror(errno)));
            ::close(fd);
            return false;
        }
        if (clock.elapsed() >= timeoutMs) {
            *held = true;
            ::close(fd);
            return false;
        }
        QThread::msleep(20);
    }
    const QByteArray pid = QByteArray::number(qint64(::getpid())) + '\n';
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.constData(), size_t(pid.size()), 0) != pid.size()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, QString::fromLocal8Bit(::strerror(errno)));
        ::close(fd);
        return false;
    }
    m_fd = fd;
    return true;
}

bool ServeLock::isHeld(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return false; // no file, no daemon
    const bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    ::close(fd); // releases a shared lock just taken
    return held;
}

} // namespace ctestd
