// SPDX-License-Identifier: BSD-3-Clause
#include "config.h"

#include <QFileInfo>
#include <QSettings>

namespace ctestd {

namespace {

enum class Kind { Value, Flag };

struct Setting {
    const char *name; // the file's key
    const char *option; // the command-line option it stands for
    const char *variable; // the environment variable; nullptr: none
    Kind kind;
    const char *unset; // what the built-in default is, for --show-config
};

// In --help's order. CTEST_PARALLEL_LEVEL is ctest's and counts for build
// trees only, as under ctest.
const Setting Settings[] = {
    {"parallel", "--parallel", "CTEST_PARALLEL_LEVEL", Kind::Value, "one worker per CPU (a build tree: 1, as ctest)"},
    {"timeout", "--timeout", "CTESTD_TIMEOUT", Kind::Value, "1500 s per case (a build tree: its own default)"},
    {"group-by", "--group-by", "CTESTD_GROUP_BY", Kind::Value, "the framework's"},
    {"listen", "--listen", "CTESTD_LISTEN", Kind::Value, "a private local socket"},
    {"worker-setup", "--worker-setup", "CTESTD_WORKER_SETUP", Kind::Value, "none"},
    {"worker-teardown", "--worker-teardown", "CTESTD_WORKER_TEARDOWN", Kind::Value, "none"},
    {"hook-timeout", "--hook-timeout", "CTESTD_HOOK_TIMEOUT", Kind::Value, "600 s per hook"},
    {"launcher", "--launcher", "CTESTD_LAUNCHER", Kind::Value, "none"},
    {"keep-tmp", "--keep-tmp", "CTESTD_KEEP_TMP", Kind::Flag, "false"},
    {"isolate-workdir", "--isolate-workdir", "CTESTD_ISOLATE_WORKDIR", Kind::Flag, "false"},
};

// A flag's text: true, false, or nothing.
std::optional<bool> flagValue(const QString &text)
{
    const QString lower = text.trimmed().toLower();
    for (const char *yes : {"1", "true", "yes", "on"}) {
        if (lower == QLatin1String(yes))
            return true;
    }
    for (const char *no : {"0", "false", "no", "off", ""}) {
        if (lower == QLatin1String(no))
            return false;
    }
    return std::nullopt;
}

} // namespace

std::optional<QVector<SettingOrigin>> resolveSettings(const QString &path, const QSet<QString> &given,
    const QProcessEnvironment &environment, bool ctestParallel, QString *error)
{
    QHash<QString, QString> fromFile;
    if (QFileInfo(path).isFile()) {
        QSettings file(path, QSettings::IniFormat);
        if (file.status() != QSettings::NoError) {
            *error = QStringLiteral("%1: cannot be read as an INI file").arg(path);
            return std::nullopt;
        }
        file.beginGroup(QStringLiteral("ctestd"));
        for (const QString &key : file.childKeys()) {
            const bool known = std::any_of(std::begin(Settings), std::end(Settings),
                [&key](const Setting &setting) { return key == QLatin1String(setting.name); });
            if (!known) {
                QStringList names;
                for (const Setting &setting : Settings)
                    names.append(QLatin1String(setting.name));
                *error = QStringLiteral("%1: unknown setting '%2' in [ctestd] (known: %3)")
                             .arg(path, key, names.join(QStringLiteral(", ")));
                return std::nullopt;
            }
            // QSettings reads "a, b" as a list; a command keeps its commas.
            const QVariant value = file.value(key);
            fromFile.insert(key,
                value.type() == QVariant::StringList ? value.toStringList().join(QStringLiteral(", "))
                                                     : value.toString());
        }
    }

    QVector<SettingOrigin> settings;
    for (const Setting &setting : Settings) {
        SettingOrigin origin;
        origin.name = QLatin1String(setting.name);
        const QString variable = QLatin1String(setting.variable);
        const bool fromEnvironment = environment.contains(variable) && !environment.value(variable).isEmpty()
            && (origin.name != QLatin1String("parallel") || ctestParallel);
        if (given.contains(origin.name)) {
            origin.source = QStringLiteral("command line");
        } else if (fromEnvironment) {
            origin.value = environment.value(variable);
            origin.source = QStringLiteral("environment ") + variable;
            // ctest's own variable is read where ctest reads it, later.
            if (origin.name != QLatin1String("parallel"))
                origin.arguments = QStringList {QLatin1String(setting.option), origin.value};
        } else if (fromFile.contains(origin.name)) {
            origin.value = fromFile.value(origin.name);
            origin.source = path;
            origin.arguments = QStringList {QLatin1String(setting.option), origin.value};
        } else {
            origin.source = QStringLiteral("default");
            origin.value = QLatin1String(setting.unset);
        }
        if (setting.kind == Kind::Flag && !origin.arguments.isEmpty()) {
            const std::optional<bool> on = flagValue(origin.value);
            if (!on) {
                *error = QStringLiteral("%1 (%2): expected true or false, got '%3'")
                             .arg(origin.name, origin.source, origin.value);
                return std::nullopt;
            }
            origin.arguments = *on ? QStringList {QLatin1String(setting.option)} : QStringList();
        }
        settings.append(origin);
    }
    return settings;
}

QString settingsTable(const QVector<SettingOrigin> &settings)
{
    int nameWidth = 0;
    int valueWidth = 0;
    for (const SettingOrigin &setting : settings) {
        nameWidth = qMax(nameWidth, int(setting.name.size()));
        valueWidth = qMax(valueWidth, int(setting.value.size()));
    }
    valueWidth = qMin(valueWidth, 40); // a long command does not push every source off the screen
    QString table;
    for (const SettingOrigin &setting : settings) {
        table += setting.name.leftJustified(nameWidth + 2) + setting.value.leftJustified(valueWidth)
            + QStringLiteral("  (") + setting.source + QStringLiteral(")\n");
    }
    return table;
}

} // namespace ctestd
