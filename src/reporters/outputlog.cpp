// SPDX-License-Identifier: BSD-3-Clause
#include "outputlog.h"

#include <QDir>
#include <QFileInfo>

namespace ctestd {

namespace {
const char *typeName(OutputLog::Type type)
{
    switch (type) {
    case OutputLog::Type::Output:
        return "OUTPUT";
    case OutputLog::Type::HandlerOutput:
        return "HANDLER_OUTPUT";
    case OutputLog::Type::ErrorMessage:
        return "ERROR_MESSAGE";
    }
    return "OTHER";
}
} // namespace

bool OutputLog::open(const QString &path, QString *error)
{
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath())) {
        *error = QStringLiteral("cannot create the folder of the output log %1").arg(path);
        return false;
    }
    m_file.setFileName(info.absoluteFilePath());
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered)) {
        *error = QStringLiteral("cannot write the output log %1: %2").arg(path, m_file.errorString());
        return false;
    }
    return true;
}

void OutputLog::write(bool toStderr, const QByteArray &bytes)
{
    static const QByteArray directoryChange = "Internal ctest changing into directory: ";
    int start = 0;
    while (start < bytes.size()) {
        int end = bytes.indexOf('\n', start);
        end = end < 0 ? int(bytes.size()) : end + 1;
        const QByteArray line = bytes.mid(start, end - start);
        const Type type = toStderr             ? Type::ErrorMessage
            : line.startsWith(directoryChange) ? Type::Output
                                               : Type::HandlerOutput;
        message(type, line);
        start = end;
    }
}

void OutputLog::message(Type type, const QByteArray &text)
{
    if (!m_file.isOpen())
        return;
    if (m_lastType == type) {
        m_file.write(text);
        return;
    }
    m_file.write(QByteArray("[") + typeName(type) + "] \n" + text + '\n');
    m_lastType = type;
}

LoggedStream::LoggedStream(QIODevice *console, OutputLog *log, bool isStderr, QObject *parent)
    : WriteOnlyDevice(parent)
    , m_console(console)
    , m_log(log)
    , m_isStderr(isStderr)
{ }

qint64 LoggedStream::writeData(const char *data, qint64 size)
{
    const QByteArray bytes = QByteArray::fromRawData(data, int(size));
    if (m_console) {
        m_console->write(bytes);
        // As ConsoleReporter does for a QFile: the lines show as they come.
        if (auto *file = qobject_cast<QFileDevice *>(m_console))
            file->flush();
    }
    if (m_log)
        m_log->write(m_isStderr, bytes);
    return size;
}

} // namespace ctestd
