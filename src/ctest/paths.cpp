// SPDX-License-Identifier: BSD-3-Clause
#include "paths.h"

#include <QDir>
#include <QFileInfo>

namespace ctestd::ctest {

WorkingDirectory WorkingDirectory::current()
{
    return WorkingDirectory(QDir::current().canonicalPath(), qEnvironmentVariable("PWD"));
}

WorkingDirectory::WorkingDirectory(const QString &physical, const QString &pwd)
    : m_physical(physical)
    , m_logical(physical)
{
    // kwsys takes $PWD only when it names the same directory; a stale $PWD
    // (a program that changed directory without updating it) is ignored.
    if (!pwd.isEmpty() && QDir::isAbsolutePath(pwd) && QFileInfo(pwd).canonicalFilePath() == physical)
        m_logical = QDir::cleanPath(pwd);
}

QString WorkingDirectory::translated(const QString &absolutePath) const
{
    if (m_logical == m_physical)
        return absolutePath;
    if (absolutePath == m_physical)
        return m_logical;
    if (absolutePath.startsWith(m_physical + QLatin1Char('/')))
        return m_logical + absolutePath.mid(m_physical.size());
    return absolutePath;
}

QString WorkingDirectory::collapsed(const QString &path) const
{
    const QString absolute = QDir::isAbsolutePath(path) ? path : m_logical + QLatin1Char('/') + path;
    return translated(QDir::cleanPath(absolute));
}

TestDirectory resolveTestDirectory(const QString &given, const WorkingDirectory &cwd)
{
    TestDirectory result;
    result.announced = given.isEmpty() ? cwd.logical() : cwd.collapsed(given);
    result.changes = result.announced != cwd.logical();
    // After changing into it, ctest asks getcwd() again: symlinks resolved,
    // then spelled as the shell's directory where that applies.
    const QString canonical = QFileInfo(result.announced).canonicalFilePath();
    result.project = result.changes && !canonical.isEmpty() ? cwd.translated(canonical) : result.announced;
    return result;
}

QStringList executableSearchPlaces(const QString &command)
{
    const int slash = command.lastIndexOf(QLatin1Char('/'));
    const QString directory = slash < 0 ? QString() : command.left(slash);
    const QString file = command.mid(slash + 1);
    // ctest tries "no configuration" first, then these, as subdirectories.
    static const QStringList configurations {QString(), QStringLiteral("Release"), QStringLiteral("Debug"),
        QStringLiteral("MinSizeRel"), QStringLiteral("RelWithDebInfo"), QStringLiteral("Deployment"),
        QStringLiteral("Development")};
    QStringList places;
    const auto below = [&](const QString &base) {
        for (const QString &configuration : configurations) {
            QString place = base.isEmpty() ? QString() : base + QLatin1Char('/');
            if (!configuration.isEmpty())
                place += configuration + QLatin1Char('/');
            place += file;
            places << place << place; // without and with the (empty) executable suffix
        }
    };
    below(directory);
    if (directory.startsWith(QLatin1Char('/')))
        below(directory.mid(1));
    return places;
}

QString couldNotFindText(const QString &command)
{
    QString text = QStringLiteral("Could not find executable %1\nLooked in the following places:\n").arg(command);
    for (const QString &place : executableSearchPlaces(command))
        text += place + QLatin1Char('\n');
    return text;
}

} // namespace ctestd::ctest
