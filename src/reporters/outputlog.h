// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "writeonlydevice.h"

#include <QFile>
#include <QIODevice>
#include <QString>

#include <optional>

namespace ctestd {

// ctest -O/--output-log: a copy of the console in a file, in ctest's
// format. ctest tags its messages with a type; where the type changes it
// writes "[TYPE] " on a line of its own before the message and an empty
// line after it. The console's lines map to ctest's types as ctest logs
// them: stderr is ERROR_MESSAGE, "Internal ctest changing into directory"
// is OUTPUT, the rest of stdout HANDLER_OUTPUT. A line is one message,
// which is what ctest's messages are outside -V (under -V ctest splits its
// messages elsewhere, so the empty lines after the tags differ).
class OutputLog {
public:
    enum class Type { Output, HandlerOutput, ErrorMessage };

    // Opens (truncates) the file, creating its folder, as ctest does; but
    // at start-up, so that a log that cannot be written stops the run
    // before anything runs. The error names the file and the reason.
    [[nodiscard]] bool open(const QString &path, QString *error);

    // Logs one console write: each of its lines is one message.
    void write(bool toStderr, const QByteArray &bytes);

private:
    void message(Type type, const QByteArray &text);

    QFile m_file;
    std::optional<Type> m_lastType;
};

// A console stream that may be silent (-Q) and may be logged (-O): what is
// written goes to `console`, if any, and to `log`, if any.
class LoggedStream : public WriteOnlyDevice {
    Q_OBJECT
public:
    LoggedStream(QIODevice *console, OutputLog *log, bool isStderr, QObject *parent = nullptr);

protected:
    qint64 writeData(const char *data, qint64 size) override;

private:
    QIODevice *m_console;
    OutputLog *m_log;
    bool m_isStderr;
};

} // namespace ctestd
