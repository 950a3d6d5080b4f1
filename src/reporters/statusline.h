// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QStringList>
#include <QTimer>

class QIODevice;

namespace ctestd {

// The live line at the bottom of a terminal, as ninja keeps one:
// "[done/total] 12 s  running 3: Math.Add, Math.Sub, ...". It is drawn in
// place (carriage return, erase to the end of the line) on the terminal
// itself, never into a log, and taken away before anything else is
// printed, so it is never mixed into a case's output. It redraws each
// second for the elapsed time.
class StatusLine : public QObject {
    Q_OBJECT
public:
    StatusLine(QIODevice *terminal, int width, QObject *parent = nullptr);

    void start(int total);
    void caseStarted(const QString &name);
    void caseFinished(const QString &name);
    void stop(); // the run is over: hidden for good

    void hide(); // before anything else goes to the terminal
    void show(); // after it, and whenever what it says changes

    // The text of the line, cut to `width` columns (for tests).
    QByteArray text(qint64 elapsedMs) const;

private:
    QIODevice *m_terminal;
    int m_width;
    int m_total = 0;
    int m_done = 0;
    QStringList m_running; // in start order
    bool m_shown = false;
    bool m_active = false;
    QElapsedTimer m_clock;
    QTimer m_ticker;
};

} // namespace ctestd
