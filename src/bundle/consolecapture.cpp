// SPDX-License-Identifier: BSD-3-Clause
#include "consolecapture.h"

#include "reporters/runrecord.h"

namespace ctestd {

ConsoleCapture::ConsoleCapture(QIODevice *out, QIODevice *consoleErr, QIODevice *otherErr, RunRecorder *recorder)
    : m_consoleOut(out, &m_stdout, nullptr, false)
    , m_consoleErr(consoleErr, &m_stderr, nullptr, true)
    , m_otherOut(out, &m_stdout, recorder, false)
    , m_otherErr(otherErr, &m_stderr, recorder, true)
{ }

ConsoleCapture::Stream::Stream(QIODevice *target, QByteArray *copy, RunRecorder *recorder, bool toStderr)
    : m_target(target)
    , m_copy(copy)
    , m_recorder(recorder)
    , m_toStderr(toStderr)
{ }

qint64 ConsoleCapture::Stream::writeData(const char *data, qint64 size)
{
    const QByteArray bytes = QByteArray::fromRawData(data, int(size));
    if (m_target)
        m_target->write(bytes);
    m_copy->append(bytes);
    if (m_recorder)
        m_recorder->note(m_toStderr, QByteArray(data, int(size)));
    return size;
}

} // namespace ctestd
