// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace ctestd::bundle {

// A result bundle (--archive, `ctestd report`; FORMAT.md): a tar or zip
// archive of these files.
inline const QString ManifestName = QStringLiteral("manifest.json"); // what the bundle is; checksums of the rest
inline const QString RunName = QStringLiteral("run.json"); // the run record ("ctestd-run")
inline const QString StdoutName = QStringLiteral("console/stdout.txt"); // the console, exactly as printed
inline const QString StderrName = QStringLiteral("console/stderr.txt");
inline const QString JUnitName = QStringLiteral("junit.xml");
inline const QString CTestFolder = QStringLiteral("ctest"); // a build tree's Testing/ files the run wrote
inline const QString ArtifactsFolder = QStringLiteral("artifacts"); // what the test processes left
inline const QString OutputFolder = QStringLiteral("output"); // a process's whole output, where its cases' was capped

inline const QString ManifestFormat = QStringLiteral("ctestd-bundle");
constexpr int ManifestVersion = 1;

// The archive formats, told from the file name when writing and from the
// first bytes when reading (a renamed bundle still opens).
enum class Container { TarGz, TarXz, TarZst, TarBz2, Tar, Zip };

// The format a bundle named `fileName` is written in, or none for a name
// with no known extension.
std::optional<Container> containerForName(const QString &fileName);
// The extensions containerForName() knows, for error messages.
QString knownExtensions();
// The format of an archive that starts with `head` (at least 512 bytes
// when there are that many), or none when it is none of them.
std::optional<Container> containerForContent(const QByteArray &head);
// KTar's MIME type for a tar container ("application/x-gzip", ...).
QString tarMimeType(Container container);

// What a bundle's own files may be at most: the reader loads them into
// memory, so a declared size above this is refused before anything is read.
constexpr qint64 MaxLoadedFileBytes = qint64(1) << 31; // 2 GiB

// A path inside a bundle is safe to extract under a folder when it is
// relative, has no "." or ".." component and no empty one, and no
// character outside printable text. False with the reason otherwise.
bool isSafeEntryPath(const QString &path, QString *why);

// The checksum the manifest gives each of the bundle's own files: CRC-32
// (zlib's), as 8 lower-case hex digits. It catches a damaged bundle, not
// a forged one: it is not a signature.
QString checksum(const QByteArray &data);

// A case's or group's name as a folder name: what a file system and a
// person can read, nothing that climbs or hides ("../x" -> "_x").
QString folderNameFor(const QString &name);

} // namespace ctestd::bundle
