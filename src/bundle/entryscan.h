// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QString>
#include <QVector>

class QIODevice;

namespace ctestd::bundle {

// One entry of an archive as its headers name it, before KArchive
// normalises the name ("/abs" -> "abs", "a/../../b" -> "../b") and drops
// the type (a device reads as an empty file): what a hostile archive
// says, so that it can be refused for it.
struct RawEntry {
    enum class Type { File, Directory, Link, Other };
    QString name;
    Type type = Type::File;
    qint64 size = 0; // declared
};

// Reads the headers of an uncompressed tar (ustar, GNU long names, pax
// paths) from `device`. False with the reason when the archive is not a
// tar, is cut short (a header or an entry's declared data past the end),
// or has a header whose checksum is wrong.
[[nodiscard]] bool scanTar(QIODevice *device, QVector<RawEntry> *entries, QString *error);

// Reads a zip's central directory from `device`. False with the reason
// when there is none, it is cut short, or it uses zip64 (ctestd's bundles
// do not).
[[nodiscard]] bool scanZip(QIODevice *device, QVector<RawEntry> *entries, QString *error);

} // namespace ctestd::bundle
