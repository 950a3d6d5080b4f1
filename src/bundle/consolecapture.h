// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "reporters/writeonlydevice.h"

#include <QByteArray>
#include <QIODevice>

namespace ctestd {

class RunRecorder;

// --archive: the console as the run prints it, for the bundle. The run's
// streams go through these devices on their way to the terminal: the
// console reporter's (`consoleOut`, `consoleErr`) and everyone else's
// (`otherOut`, `otherErr`: the change of directory, warnings, the
// interrupt notice). Both are kept byte for byte; the others' lines are
// also noted in the run record where they fell among the console's, so
// that `ctestd report` prints them again in their place.
class ConsoleCapture {
public:
    ConsoleCapture(QIODevice *out, QIODevice *consoleErr, QIODevice *otherErr, RunRecorder *recorder);

    QIODevice *consoleOut() { return &m_consoleOut; }
    QIODevice *consoleErr() { return &m_consoleErr; }
    QIODevice *otherOut() { return &m_otherOut; }
    QIODevice *otherErr() { return &m_otherErr; }

    const QByteArray &stdoutText() const { return m_stdout; }
    const QByteArray &stderrText() const { return m_stderr; }

private:
    class Stream final : public WriteOnlyDevice {
    public:
        Stream(QIODevice *target, QByteArray *copy, RunRecorder *recorder, bool toStderr);

    protected:
        qint64 writeData(const char *data, qint64 size) override;

    private:
        QIODevice *m_target;
        QByteArray *m_copy;
        RunRecorder *m_recorder; // null: the console's own lines
        bool m_toStderr;
    };

    QByteArray m_stdout;
    QByteArray m_stderr;
    Stream m_consoleOut;
    Stream m_consoleErr;
    Stream m_otherOut;
    Stream m_otherErr;
};

} // namespace ctestd
