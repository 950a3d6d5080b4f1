// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QProcessEnvironment>
#include <QSet>
#include <QStringList>
#include <QVector>

#include <optional>

namespace ctestd {

// The file a build tree's defaults are read from (README, "Defaults from a
// file"): its [ctestd] section, read with QSettings' INI format.
inline const QString ConfigFileName = QStringLiteral("ctestd.ini");

// One setting's effective value and where it came from, for --show-config.
struct SettingOrigin {
    QString name; // as ctestd.ini spells it: "timeout"
    QString value; // empty: not set
    QString source; // "command line", "environment CTESTD_TIMEOUT", the file's path, or "default"
    QStringList arguments; // the options the value stands for, when it is a default from elsewhere
};

// For each setting a file may give (parallel, timeout, group-by, listen,
// worker-setup, worker-teardown, hook-timeout, launcher, keep-tmp,
// isolate-workdir): the
// command line's if `given` has it, else the environment's, else the file's
// at `path` (if there is one), else the built-in default. The defaults that
// apply come back as options (`arguments`) for the caller to parse as if
// given first. A key the file does not know, or a file that cannot be read,
// is an error that names the file. `ctestParallel`: CTEST_PARALLEL_LEVEL
// sets the parallel level (a build tree, as under ctest).
std::optional<QVector<SettingOrigin>> resolveSettings(const QString &path, const QSet<QString> &given,
    const QProcessEnvironment &environment, bool ctestParallel, QString *error);

// --show-config's table.
QString settingsTable(const QVector<SettingOrigin> &settings);

} // namespace ctestd
