// SPDX-License-Identifier: BSD-3-Clause
#include "entryscan.h"

#include <QByteArray>
#include <QIODevice>

#include <sys/stat.h>

namespace ctestd::bundle {

namespace {

constexpr int Block = 512;

QByteArray field(const QByteArray &header, int offset, int length)
{
    QByteArray bytes = header.mid(offset, length);
    const int nul = bytes.indexOf('\0');
    return nul >= 0 ? bytes.left(nul) : bytes;
}

// A tar number: octal text, or GNU's base-256 (first byte 0x80).
bool tarNumber(const QByteArray &header, int offset, int length, qint64 *value)
{
    const auto *p = reinterpret_cast<const unsigned char *>(header.constData() + offset);
    if (p[0] & 0x80) {
        quint64 number = p[0] & 0x7f;
        for (int i = 1; i < length; ++i) {
            if (number >> 55)
                return false; // more than a qint64 holds
            number = (number << 8) | p[i];
        }
        *value = qint64(number);
        return true;
    }
    const QByteArray text = field(header, offset, length).trimmed();
    if (text.isEmpty()) {
        *value = 0;
        return true;
    }
    bool ok = false;
    *value = text.toLongLong(&ok, 8);
    return ok && *value >= 0;
}

bool checksumMatches(const QByteArray &header)
{
    qint64 stored = 0;
    if (!tarNumber(header, 148, 8, &stored))
        return false;
    qint64 sum = 0;
    for (int i = 0; i < Block; ++i)
        sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(header[i]);
    return sum == stored;
}

// The "path" record of a pax extended header ("<len> path=<value>\n").
QByteArray paxPath(const QByteArray &data)
{
    int at = 0;
    while (at < data.size()) {
        const int space = data.indexOf(' ', at);
        if (space < 0)
            break;
        bool ok = false;
        const int length = data.mid(at, space - at).toInt(&ok);
        if (!ok || length <= 0 || at + length > data.size())
            break;
        const QByteArray record = data.mid(space + 1, at + length - space - 2); // without the newline
        if (record.startsWith("path="))
            return record.mid(5);
        at += length;
    }
    return {};
}

quint32 le32(const QByteArray &bytes, int offset)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.constData() + offset);
    return quint32(p[0]) | quint32(p[1]) << 8 | quint32(p[2]) << 16 | quint32(p[3]) << 24;
}

quint16 le16(const QByteArray &bytes, int offset)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.constData() + offset);
    return quint16(p[0] | p[1] << 8);
}

} // namespace

bool scanTar(QIODevice *device, QVector<RawEntry> *entries, QString *error)
{
    const qint64 total = device->size();
    qint64 at = 0;
    QByteArray longName; // GNU 'L' or pax path for the next entry
    while (true) {
        if (!device->seek(at)) {
            *error = QStringLiteral("cannot read the archive");
            return false;
        }
        const QByteArray header = device->read(Block);
        // KTar ends its archives without the end-of-archive blocks; an
        // archive cut at an entry's end is caught by the manifest instead.
        if (header.isEmpty() && at == total)
            return true;
        if (header.size() < Block) {
            *error = QStringLiteral("it is cut short (in a tar header)");
            return false;
        }
        if (header.count('\0') == Block)
            return true; // the end-of-archive block
        if (!checksumMatches(header)) {
            *error = QStringLiteral("a tar header at byte %1 is corrupt (wrong checksum)").arg(at);
            return false;
        }
        qint64 size = 0;
        if (!tarNumber(header, 124, 12, &size)) {
            *error = QStringLiteral("a tar header at byte %1 has no valid size").arg(at);
            return false;
        }
        const qint64 data = at + Block;
        const qint64 padded = (size + Block - 1) / Block * Block;
        if (size > total - data) {
            *error
                = QStringLiteral("it is cut short: an entry declares %1 bytes, more than the archive holds").arg(size);
            return false;
        }
        const char type = header.at(156);
        if (type == 'L' || type == 'x') {
            if (size > 1 << 20) {
                *error = QStringLiteral("an entry's name is over 1 MiB");
                return false;
            }
            const QByteArray body = device->read(size);
            longName = type == 'L' ? field(body, 0, int(body.size())) : paxPath(body);
            at = data + padded;
            continue;
        }
        if (type == 'g' || type == 'K') { // pax global header, GNU long link name
            at = data + padded;
            continue;
        }
        RawEntry entry;
        QByteArray name = longName;
        longName.clear();
        if (name.isEmpty()) {
            name = field(header, 0, 100);
            const QByteArray prefix = header.mid(257, 5) == "ustar" ? field(header, 345, 155) : QByteArray();
            if (!prefix.isEmpty())
                name = prefix + '/' + name;
        }
        entry.name = QString::fromUtf8(name);
        entry.size = size;
        switch (type) {
        case '0':
        case '\0':
        case '7':
            entry.type = RawEntry::Type::File;
            break;
        case '5':
            entry.type = RawEntry::Type::Directory;
            break;
        case '1':
        case '2':
            entry.type = RawEntry::Type::Link;
            break;
        default:
            entry.type = RawEntry::Type::Other;
        }
        entries->append(entry);
        at = data + (entry.type == RawEntry::Type::File ? padded : 0);
    }
}

bool scanZip(QIODevice *device, QVector<RawEntry> *entries, QString *error)
{
    const qint64 total = device->size();
    // The end-of-central-directory record: in the last 22 + 65535 bytes.
    const qint64 tail = qMin<qint64>(total, 22 + 65535);
    if (!device->seek(total - tail)) {
        *error = QStringLiteral("cannot read the archive");
        return false;
    }
    const QByteArray end = device->read(tail);
    const int record = end.lastIndexOf(QByteArray("PK\x05\x06", 4));
    if (record < 0 || end.size() - record < 22) {
        *error = QStringLiteral("it is cut short: the zip archive has no central directory");
        return false;
    }
    const quint16 count = le16(end, record + 10);
    const quint32 directorySize = le32(end, record + 12);
    const quint32 directoryOffset = le32(end, record + 16);
    if (count == 0xffff || directoryOffset == 0xffffffff) {
        *error = QStringLiteral("the zip archive uses zip64, which ctestd's bundles do not");
        return false;
    }
    if (qint64(directoryOffset) + directorySize > total || !device->seek(directoryOffset)) {
        *error = QStringLiteral("it is cut short: the zip archive's central directory lies past its end");
        return false;
    }
    const QByteArray directory = device->read(directorySize);
    int at = 0;
    for (int i = 0; i < count; ++i) {
        if (directory.size() - at < 46 || le32(directory, at) != 0x02014b50) {
            *error = QStringLiteral("the zip archive's central directory is corrupt");
            return false;
        }
        const quint32 size = le32(directory, at + 24);
        const int nameLength = le16(directory, at + 28);
        const int extraLength = le16(directory, at + 30);
        const int commentLength = le16(directory, at + 32);
        const quint32 attributes = le32(directory, at + 38);
        const int madeBy = directory.at(at + 5); // 3: Unix, whose mode is in the attributes
        if (directory.size() - at - 46 < nameLength + extraLength + commentLength) {
            *error = QStringLiteral("the zip archive's central directory is corrupt");
            return false;
        }
        if (size == 0xffffffff) {
            *error = QStringLiteral("the zip archive uses zip64, which ctestd's bundles do not");
            return false;
        }
        RawEntry entry;
        entry.name = QString::fromUtf8(directory.mid(at + 46, nameLength));
        entry.size = size;
        const mode_t mode = madeBy == 3 ? mode_t(attributes >> 16) : 0;
        if (S_ISLNK(mode))
            entry.type = RawEntry::Type::Link;
        else if (S_ISDIR(mode) || entry.name.endsWith(QLatin1Char('/')))
            entry.type = RawEntry::Type::Directory;
        else if (mode != 0 && !S_ISREG(mode))
            entry.type = RawEntry::Type::Other;
        entries->append(entry);
        at += 46 + nameLength + extraLength + commentLength;
    }
    return true;
}

} // namespace ctestd::bundle
