// SPDX-License-Identifier: BSD-3-Clause
#include "bundleformat.h"

#include <QRegularExpression>
#include <QStringList>

#include <zlib.h>

namespace ctestd::bundle {

std::optional<Container> containerForName(const QString &fileName)
{
    const QString name = fileName.toLower();
    const auto ends = [&name](const char *suffix) { return name.endsWith(QLatin1String(suffix)); };
    if (ends(".tar.gz") || ends(".tgz"))
        return Container::TarGz;
    if (ends(".tar.xz") || ends(".txz"))
        return Container::TarXz;
    if (ends(".tar.zst") || ends(".tzst"))
        return Container::TarZst;
    if (ends(".tar.bz2") || ends(".tbz2"))
        return Container::TarBz2;
    if (ends(".tar"))
        return Container::Tar;
    if (ends(".zip"))
        return Container::Zip;
    return std::nullopt;
}

QString knownExtensions()
{
    return QStringLiteral(".tar.gz, .tar.xz, .tar.zst, .tar.bz2, .tar or .zip");
}

std::optional<Container> containerForContent(const QByteArray &head)
{
    if (head.startsWith("\x1f\x8b"))
        return Container::TarGz;
    if (head.startsWith(QByteArray("\xfd"
                                   "7zXZ\0",
            6)))
        return Container::TarXz;
    if (head.startsWith("\x28\xb5\x2f\xfd"))
        return Container::TarZst;
    if (head.startsWith("BZh"))
        return Container::TarBz2;
    if (head.startsWith("PK\x03\x04") || head.startsWith("PK\x05\x06"))
        return Container::Zip;
    if (head.size() >= 262 && head.mid(257, 5) == "ustar")
        return Container::Tar;
    return std::nullopt;
}

QString tarMimeType(Container container)
{
    switch (container) {
    case Container::TarGz:
        return QStringLiteral("application/x-gzip");
    case Container::TarXz:
        return QStringLiteral("application/x-xz");
    case Container::TarZst:
        return QStringLiteral("application/zstd");
    case Container::TarBz2:
        return QStringLiteral("application/x-bzip");
    case Container::Tar:
    case Container::Zip:
        break;
    }
    return QStringLiteral("application/x-tar");
}

bool isSafeEntryPath(const QString &path, QString *why)
{
    if (path.isEmpty()) {
        *why = QStringLiteral("an entry has no name");
        return false;
    }
    if (path.startsWith(QLatin1Char('/'))) {
        *why = QStringLiteral("the entry \"%1\" has an absolute path").arg(path);
        return false;
    }
    for (const QChar c : path) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f || c == QLatin1Char('\\')) {
            *why = QStringLiteral("the entry \"%1\" has a control character or a backslash in its name")
                       .arg(QString(path).replace(
                           QRegularExpression(QStringLiteral("[\\x00-\\x1f\\x7f]")), QStringLiteral("?")));
            return false;
        }
    }
    const QStringList parts = path.split(QLatin1Char('/'));
    for (int i = 0; i < parts.size(); ++i) {
        const QString &part = parts[i];
        if (part == QLatin1String("..") || part == QLatin1String(".") || (part.isEmpty() && i != parts.size() - 1)) {
            *why = QStringLiteral("the entry \"%1\" climbs out of the bundle").arg(path);
            return false;
        }
    }
    return true;
}

QString checksum(const QByteArray &data)
{
    uLong crc = crc32(0L, Z_NULL, 0);
    const auto *p = reinterpret_cast<const Bytef *>(data.constData());
    qint64 left = data.size();
    while (left > 0) {
        const uInt chunk = uInt(qMin<qint64>(left, 1 << 30));
        crc = crc32(crc, p, chunk);
        p += chunk;
        left -= chunk;
    }
    return QStringLiteral("%1").arg(qulonglong(crc), 8, 16, QLatin1Char('0'));
}

QString folderNameFor(const QString &name)
{
    QString folder;
    folder.reserve(name.size());
    for (const QChar c : name) {
        const bool plain = c.isLetterOrNumber() || QStringLiteral("._-+=,@()[]#").contains(c);
        folder += plain ? c : QLatin1Char('_');
    }
    while (folder.startsWith(QLatin1Char('.')))
        folder[0] = QLatin1Char('_');
    if (folder.isEmpty())
        folder = QStringLiteral("_");
    // A file system's name limit is 255 bytes; leave room for " (2)".
    while (folder.toUtf8().size() > 200)
        folder.chop(1);
    return folder;
}

} // namespace ctestd::bundle
