// SPDX-License-Identifier: BSD-3-Clause
#include "buildidentity.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QHash>

namespace ctestd {

namespace {

// A note segment larger than this is not a program's build-id notes.
constexpr qint64 MaxNoteBytes = 1 << 20;

// Reads fixed-size integers of either byte order.
class ElfBytes {
public:
    ElfBytes(const QByteArray &data, bool bigEndian)
        : m_data(data)
        , m_bigEndian(bigEndian)
    { }
    bool has(qint64 at, qint64 size) const { return at >= 0 && size >= 0 && at + size <= m_data.size(); }
    quint64 read(qint64 at, int size) const
    {
        quint64 value = 0;
        for (int i = 0; i < size; ++i) {
            const quint64 byte = uchar(m_data.at(int(at + (m_bigEndian ? i : size - 1 - i))));
            value = (value << 8) | byte;
        }
        return value;
    }

private:
    const QByteArray &m_data;
    bool m_bigEndian;
};

// The build-id of the ELF file `file`, or empty (not ELF, no note).
QString gnuBuildId(QFile *file)
{
    const QByteArray header = file->read(64);
    if (header.size() < 52
        || !header.startsWith("\x7f"
                              "ELF"))
        return QString();
    const bool is64 = header.at(4) == 2;
    const bool bigEndian = header.at(5) == 2;
    const ElfBytes h(header, bigEndian);
    if (is64 && header.size() < 64)
        return QString();
    const quint64 phoff = is64 ? h.read(32, 8) : h.read(28, 4);
    const int phentsize = int(h.read(is64 ? 54 : 42, 2));
    const int phnum = int(h.read(is64 ? 56 : 44, 2));
    if (phoff == 0 || phentsize < (is64 ? 56 : 32) || phnum <= 0 || phnum > 4096)
        return QString();
    if (!file->seek(qint64(phoff)))
        return QString();
    const QByteArray table = file->read(qint64(phentsize) * phnum);
    const ElfBytes t(table, bigEndian);
    for (int i = 0; i < phnum; ++i) {
        const qint64 entry = qint64(i) * phentsize;
        if (!t.has(entry, phentsize) || t.read(entry, 4) != 4) // PT_NOTE
            continue;
        const quint64 offset = is64 ? t.read(entry + 8, 8) : t.read(entry + 4, 4);
        const quint64 size = is64 ? t.read(entry + 32, 8) : t.read(entry + 16, 4);
        if (size > quint64(MaxNoteBytes) || !file->seek(qint64(offset)))
            continue;
        const QByteArray notes = file->read(qint64(size));
        const ElfBytes n(notes, bigEndian);
        const auto padded = [](qint64 length) { return (length + 3) & ~qint64(3); };
        for (qint64 at = 0; n.has(at, 12);) {
            const qint64 nameSize = qint64(n.read(at, 4));
            const qint64 descSize = qint64(n.read(at + 4, 4));
            const quint64 type = n.read(at + 8, 4);
            const qint64 name = at + 12;
            const qint64 desc = name + padded(nameSize);
            if (nameSize > MaxNoteBytes || descSize > MaxNoteBytes || !n.has(desc, descSize))
                break;
            if (type == 3 && nameSize == 4 && notes.mid(int(name), 4) == QByteArray("GNU", 4) && descSize > 0)
                return QStringLiteral("gnu-build-id:")
                    + QString::fromLatin1(notes.mid(int(desc), int(descSize)).toHex());
            at = desc + padded(descSize);
        }
    }
    return QString();
}

} // namespace

QString buildIdentity(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return QString();
    }
    const QString id = gnuBuildId(&file);
    if (!id.isEmpty())
        return id;
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!file.seek(0) || !hash.addData(&file)) {
        *error = file.errorString();
        return QString();
    }
    return QStringLiteral("sha256:") + QString::fromLatin1(hash.result().toHex());
}

QString cachedBuildIdentity(const QString &path, QString *error)
{
    struct Known {
        qint64 size = -1;
        QDateTime modified;
        QString identity;
    };
    static QHash<QString, Known> known;
    const QFileInfo info(path);
    const auto it = known.constFind(path);
    if (it != known.cend() && info.exists() && it->size == info.size() && it->modified == info.lastModified())
        return it->identity;
    const QString identity = buildIdentity(path, error);
    if (!identity.isEmpty())
        known.insert(path, {info.size(), info.lastModified(), identity});
    return identity;
}

} // namespace ctestd
