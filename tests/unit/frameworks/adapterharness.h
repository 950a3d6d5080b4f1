// SPDX-License-Identifier: BSD-3-Clause
#pragma once

// What every adapter test does with a real test program: run it, find a
// line of its source, and feed its output through the adapter's parser.

#include "frameworks/adapter.h"

#include <QByteArray>
#include <QHash>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QVector>

namespace adaptertest {

struct Ran {
    QByteArray out; // with MergedChannels, stderr too
    QByteArray err;
    int exitCode = -1;
    QProcess::ExitStatus exitStatus = QProcess::NormalExit;
    bool finished = false; // false: it ran for over a minute and was killed

    bool exitedNormally() const { return finished && exitStatus == QProcess::NormalExit; }
};

// Runs `program` to its end with `environment` added to this process' own.
// MergedChannels reads it as the worker does.
Ran runProgram(const QString &program, const QStringList &arguments, const QHash<QString, QString> &environment = {},
    QProcess::ProcessChannelMode mode = QProcess::SeparateChannels);

// The 1-based number of the first line of the file at `path` that contains
// `needle`, or -1.
int lineOf(const QString &path, const QString &needle);

// `output` as the worker splits it into lines: a final newline ends the
// last line, it does not start an empty one.
QList<QByteArray> splitLines(const QByteArray &output);

// Each of splitLines(output) through parser.parseStdoutLine(), in order.
QVector<ctestd::ParsedLine> feedLines(ctestd::OutputParser &parser, const QByteArray &output);

} // namespace adaptertest
