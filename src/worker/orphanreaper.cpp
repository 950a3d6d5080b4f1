// SPDX-License-Identifier: BSD-3-Clause
#include "orphanreaper.h"

#include "model/logging.h"

#include <QDir>
#include <QFile>
#include <QSet>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ctestd {

namespace {
// Rounds of kill-and-reap: each round takes the children that the previous
// round's victims left behind. A fork bomb gets no more than this.
constexpr int MaxRounds = 64;

// Whether this process has any child at all, living or a zombie, without
// reaping one: the common case (no orphans) costs one system call.
bool hasChildren()
{
    siginfo_t info;
    std::memset(&info, 0, sizeof info);
    return ::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0 || errno != ECHILD;
}

// The pids whose parent is this process: /proc/self/task/*/children where
// the kernel has it (CONFIG_PROC_CHILDREN), otherwise a scan of /proc.
QSet<pid_t> children()
{
    QSet<pid_t> pids;
    bool listed = false;
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &task : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile file(tasks.filePath(task + QStringLiteral("/children")));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        listed = true;
        for (const QByteArray &pid : file.readAll().split(' ')) {
            bool ok = false;
            const int value = pid.trimmed().toInt(&ok);
            if (ok && value > 0)
                pids.insert(pid_t(value));
        }
    }
    if (listed)
        return pids;
    const pid_t self = ::getpid();
    const QDir proc(QStringLiteral("/proc"));
    for (const QString &entry : proc.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        bool ok = false;
        const int pid = entry.toInt(&ok);
        if (!ok)
            continue;
        QFile stat(proc.filePath(entry + QStringLiteral("/stat")));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        const QByteArray text = stat.readAll();
        const int close = text.lastIndexOf(')');
        const QList<QByteArray> fields = text.mid(close + 2).split(' ');
        if (close > 0 && fields.size() > 1 && fields.at(1).toInt() == self)
            pids.insert(pid_t(pid));
    }
    return pids;
}
} // namespace

QSet<int> OrphanReaper::s_spared;

void OrphanReaper::spareChildren()
{
    for (const pid_t pid : children())
        s_spared.insert(int(pid));
}

bool OrphanReaper::adopt(QString *error)
{
    if (::prctl(PR_SET_CHILD_SUBREAPER, 1) == 0)
        return true;
    *error = QStringLiteral("cannot become a child subreaper: %1").arg(QString::fromLocal8Bit(::strerror(errno)));
    return false;
}

int OrphanReaper::killAll()
{
    int killed = 0;
    for (int round = 0; round < MaxRounds && hasChildren(); ++round) {
        QSet<pid_t> pids = children();
        for (const int spared : qAsConst(s_spared))
            pids.remove(pid_t(spared));
        if (pids.isEmpty())
            break;
        for (const pid_t pid : pids) {
            // Its group first (a setpgid() child's own children), then it.
            if (::getpgid(pid) == pid)
                ::kill(-pid, SIGKILL);
            ::kill(pid, SIGKILL);
        }
        for (const pid_t pid : pids) {
            // SIGKILL cannot be caught: this returns as soon as the kernel
            // has torn the process down.
            while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) { }
            ++killed;
        }
    }
    if (killed > 0)
        qCDebug(lcWorker) << "killed" << killed << "processes a test left behind outside its process group";
    return killed;
}

} // namespace ctestd
