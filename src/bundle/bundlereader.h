// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "reporters/runrecord.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace ctestd {

// A result bundle read back (`ctestd report`): its manifest, its run
// record, and the console and JUnit file it holds.
struct Bundle {
    QString path;
    QJsonObject manifest;
    RunRecord record;
    QByteArray stdoutText;
    QByteArray stderrText;
    QByteArray junit;
    QStringList artifacts; // the files under artifacts/ and output/, as the bundle names them
};

// Reads bundles defensively: nothing in one is trusted before it is
// checked. The archive's own headers are read first (KArchive tidies the
// names it shows), and a bundle is refused, with a one-line reason, when
// it is not a tar or zip archive, is cut short or corrupt, decompresses to
// more than 4 GiB, holds an entry whose path is absolute or climbs out
// ("../"), a link or a device, an entry its manifest does not list, a file
// whose size or checksum is not the manifest's, or a format version this
// ctestd does not read.
class BundleReader {
public:
    static constexpr qint64 MaxUncompressedBytes = qint64(4) << 30;

    [[nodiscard]] static bool read(const QString &path, Bundle *bundle, QString *error);

    // Copies the bundle's artifacts and whole-output logs under
    // `destination` (made if needed), keeping their paths in the bundle
    // (artifacts/<case>/..., output/<process>.log). Files are
    // created new: nothing is overwritten and nothing is written outside
    // `destination`.
    [[nodiscard]] static bool extractArtifacts(const QString &path, const QString &destination, QString *error);
};

} // namespace ctestd
