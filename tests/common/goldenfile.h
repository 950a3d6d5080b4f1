// SPDX-License-Identifier: BSD-3-Clause
// Golden files for ctestd's tests: what a reporter or a whole run printed,
// compared byte for byte with a file under version control.
#pragma once

#include <QByteArray>
#include <QString>

// Compares `actual` with the golden file at `path`. With
// CTESTD_REGENERATE_GOLDEN=1 in the environment it rewrites the file
// instead (review the diff before committing it). Returns what went wrong:
// the first differing line and the whole actual text (the one thing needed
// from a CI log), or an empty string.
QString goldenFileProblem(const QString &path, const QByteArray &actual);
