// SPDX-License-Identifier: BSD-3-Clause
#include "statusline.h"

#include <QFileDevice>
#include <QIODevice>

namespace ctestd {

StatusLine::StatusLine(QIODevice *terminal, int width, QObject *parent)
    : QObject(parent)
    , m_terminal(terminal)
    , m_width(qMax(20, width))
{
    m_ticker.setInterval(1000);
    connect(&m_ticker, &QTimer::timeout, this, &StatusLine::show);
}

void StatusLine::start(int total)
{
    m_total = total;
    m_done = 0;
    m_running.clear();
    m_active = true;
    m_clock.start();
    m_ticker.start();
}

void StatusLine::caseStarted(const QString &name)
{
    m_running.append(name);
}

void StatusLine::caseFinished(const QString &name)
{
    m_running.removeOne(name);
    ++m_done;
}

void StatusLine::stop()
{
    hide();
    m_active = false;
    m_ticker.stop();
}

void StatusLine::hide()
{
    if (!m_shown)
        return;
    m_terminal->write("\r\033[K");
    if (auto *file = qobject_cast<QFileDevice *>(m_terminal))
        file->flush();
    m_shown = false;
}

void StatusLine::show()
{
    if (!m_active)
        return;
    // Drawn over whatever the line showed before.
    m_terminal->write('\r' + text(m_clock.elapsed()) + "\033[K");
    if (auto *file = qobject_cast<QFileDevice *>(m_terminal))
        file->flush();
    m_shown = true;
}

QByteArray StatusLine::text(qint64 elapsedMs) const
{
    QString line = QStringLiteral("[%1/%2] %3 s").arg(m_done).arg(m_total).arg(elapsedMs / 1000);
    if (!m_running.isEmpty()) {
        line += QStringLiteral("  running %1: ").arg(m_running.size());
        // As many names as fit, then an ellipsis.
        for (int i = 0; i < m_running.size(); ++i) {
            const QString next = (i > 0 ? QStringLiteral(", ") : QString()) + m_running.at(i);
            const int reserve = i + 1 < m_running.size() ? 5 : 0; // room for ", ..."
            if (line.size() + next.size() + reserve > m_width - 1) {
                line += i > 0 ? QStringLiteral(", ...") : QStringLiteral("...");
                break;
            }
            line += next;
        }
    }
    // One column short of the width: a full line would wrap on some terminals.
    return line.left(m_width - 1).toUtf8();
}

} // namespace ctestd
