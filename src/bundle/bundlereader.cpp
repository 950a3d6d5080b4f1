// SPDX-License-Identifier: BSD-3-Clause
#include "bundlereader.h"

#include "bundleformat.h"
#include "entryscan.h"

#include <KArchive>
#include <KArchiveDirectory>
#include <KArchiveFile>
#include <KCompressionDevice>
#include <KTar>
#include <KZip>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTemporaryFile>

#include <memory>

namespace ctestd {

using namespace bundle;

namespace {

KCompressionDevice::CompressionType compressionFor(Container container)
{
    switch (container) {
    case Container::TarGz:
        return KCompressionDevice::GZip;
    case Container::TarXz:
        return KCompressionDevice::Xz;
    case Container::TarZst:
        return KCompressionDevice::Zstd;
    case Container::TarBz2:
        return KCompressionDevice::BZip2;
    case Container::Tar:
    case Container::Zip:
        break;
    }
    return KCompressionDevice::None;
}

// An open bundle: the archive (a compressed tar is decompressed first, with
// a bound, into a temporary file that KTar then reads) and what its
// headers and manifest say.
class OpenBundle {
public:
    bool open(const QString &path, QString *error);
    const KArchiveFile *file(const QString &name) const { return m_files.value(name); }
    // A file the manifest lists with its size and checksum, loaded.
    bool load(const QString &name, QByteArray *data, QString *error) const;

    QJsonObject manifest;
    QStringList artifacts;

private:
    bool decompress(const QString &path, Container container, QString *error);
    bool checkEntries(const QVector<RawEntry> &raw, QString *error);
    void indexFiles(const KArchiveDirectory *directory, const QString &prefix);

    QTemporaryFile m_tar;
    std::unique_ptr<KArchive> m_archive;
    QHash<QString, const KArchiveFile *> m_files;
    QHash<QString, QJsonObject> m_listed; // manifest "files": size and crc32
    QHash<QString, qint64> m_otherSizes; // manifest "otherFiles"
};

bool OpenBundle::decompress(const QString &path, Container container, QString *error)
{
    KCompressionDevice input(path, compressionFor(container));
    if (!input.open(QIODevice::ReadOnly) || !m_tar.open()) {
        *error = QStringLiteral("cannot decompress it: %1").arg(input.errorString());
        return false;
    }
    QByteArray buffer(1 << 20, Qt::Uninitialized);
    qint64 total = 0;
    while (true) {
        const qint64 got = input.read(buffer.data(), buffer.size());
        if (got < 0) {
            *error = QStringLiteral("it is corrupt or cut short (%1)")
                         .arg(input.errorString().isEmpty() ? QStringLiteral("decompression failed")
                                                            : input.errorString());
            return false;
        }
        if (got == 0)
            break;
        total += got;
        if (total > BundleReader::MaxUncompressedBytes) {
            *error
                = QStringLiteral("it decompresses to more than %1 GiB").arg(BundleReader::MaxUncompressedBytes >> 30);
            return false;
        }
        if (m_tar.write(buffer.constData(), got) != got) {
            *error = QStringLiteral("cannot decompress it: %1").arg(m_tar.errorString());
            return false;
        }
    }
    // KCompressionDevice ends quietly where a stream breaks off or stops
    // making sense; gzip's trailer says how long the data was.
    if (total == 0) {
        *error = QStringLiteral("it is corrupt or cut short (nothing decompresses)");
        return false;
    }
    if (container == Container::TarGz) {
        QFile file(path);
        if (file.open(QIODevice::ReadOnly) && file.size() >= 18 && file.seek(file.size() - 4)) {
            const QByteArray trailer = file.read(4);
            const auto *p = reinterpret_cast<const unsigned char *>(trailer.constData());
            const quint32 size = quint32(p[0]) | quint32(p[1]) << 8 | quint32(p[2]) << 16 | quint32(p[3]) << 24;
            if (size != quint32(total)) {
                *error = QStringLiteral("it is corrupt or cut short (it decompresses to %1 bytes, its gzip trailer "
                                        "says %2)")
                             .arg(total)
                             .arg(size);
                return false;
            }
        }
    }
    m_tar.flush();
    return true;
}

bool OpenBundle::checkEntries(const QVector<RawEntry> &raw, QString *error)
{
    for (const RawEntry &entry : raw) {
        QString name = entry.name;
        if (name.startsWith(QLatin1String("./")))
            name = name.mid(2); // tar's own way to say "here"
        QString why;
        if (!isSafeEntryPath(name, &why)) {
            *error = why;
            return false;
        }
        if (entry.type == RawEntry::Type::Link) {
            *error = QStringLiteral("the entry \"%1\" is a link").arg(name);
            return false;
        }
        if (entry.type == RawEntry::Type::Other) {
            *error = QStringLiteral("the entry \"%1\" is not a regular file").arg(name);
            return false;
        }
    }
    return true;
}

void OpenBundle::indexFiles(const KArchiveDirectory *directory, const QString &prefix)
{
    const QStringList names = directory->entries();
    for (const QString &name : names) {
        const KArchiveEntry *entry = directory->entry(name);
        if (entry->isDirectory())
            indexFiles(static_cast<const KArchiveDirectory *>(entry), prefix + name + QLatin1Char('/'));
        else if (entry->isFile())
            m_files.insert(prefix + name, static_cast<const KArchiveFile *>(entry));
    }
}

bool OpenBundle::open(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return false;
    }
    const std::optional<Container> container = containerForContent(file.read(512));
    if (!container) {
        *error = QStringLiteral("not a ctestd bundle (neither a tar nor a zip archive)");
        return false;
    }
    QVector<RawEntry> raw;
    if (*container == Container::Zip) {
        if (!scanZip(&file, &raw, error))
            return false;
        m_archive = std::make_unique<KZip>(path);
    } else {
        QIODevice *tar = &file;
        if (*container != Container::Tar) {
            if (!decompress(path, *container, error))
                return false;
            tar = &m_tar;
        }
        if (!scanTar(tar, &raw, error))
            return false;
        m_archive = std::make_unique<KTar>(tar == &file ? path : m_tar.fileName(), QStringLiteral("application/x-tar"));
    }
    if (!checkEntries(raw, error))
        return false;
    if (!m_archive->open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot open it: %1").arg(m_archive->errorString());
        return false;
    }
    indexFiles(m_archive->directory(), QString());

    // The manifest: what the bundle is and every file it holds.
    const KArchiveFile *manifestFile = m_files.value(ManifestName);
    if (!manifestFile) {
        *error = QStringLiteral("not a ctestd bundle (no %1)").arg(ManifestName);
        return false;
    }
    if (manifestFile->size() > (1 << 26)) {
        *error = QStringLiteral("its %1 declares %2 bytes").arg(ManifestName).arg(manifestFile->size());
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(manifestFile->data(), &parseError);
    manifest = document.object();
    if (parseError.error != QJsonParseError::NoError
        || manifest.value(QLatin1String("format")).toString() != ManifestFormat) {
        *error = QStringLiteral("not a ctestd bundle (its %1 is not ctestd's)").arg(ManifestName);
        return false;
    }
    const int version = manifest.value(QLatin1String("version")).toInt();
    if (version != ManifestVersion) {
        *error = QStringLiteral("bundle format version %1, but this ctestd reads version %2")
                     .arg(manifest.value(QLatin1String("version")).toVariant().toString())
                     .arg(ManifestVersion);
        return false;
    }
    const QJsonArray listed = manifest.value(QLatin1String("files")).toArray();
    for (const QJsonValue &value : listed)
        m_listed.insert(value.toObject().value(QLatin1String("name")).toString(), value.toObject());
    const QJsonArray others = manifest.value(QLatin1String("otherFiles")).toArray();
    for (const QJsonValue &value : others) {
        const QJsonObject object = value.toObject();
        m_otherSizes.insert(
            object.value(QLatin1String("name")).toString(), qint64(object.value(QLatin1String("size")).toDouble(-1)));
    }
    for (auto it = m_files.cbegin(); it != m_files.cend(); ++it) {
        const QString &name = it.key();
        if (name == ManifestName || m_listed.contains(name))
            continue;
        if (!m_otherSizes.contains(name)) {
            *error = QStringLiteral("the entry \"%1\" is not in its manifest").arg(name);
            return false;
        }
        if (it.value()->size() != m_otherSizes.value(name)) {
            *error = QStringLiteral("the entry \"%1\" has %2 bytes, its manifest says %3")
                         .arg(name)
                         .arg(it.value()->size())
                         .arg(m_otherSizes.value(name));
            return false;
        }
        if (name.startsWith(ArtifactsFolder + QLatin1Char('/')) || name.startsWith(OutputFolder + QLatin1Char('/')))
            artifacts.append(name);
    }
    for (auto it = m_otherSizes.cbegin(); it != m_otherSizes.cend(); ++it) {
        if (!m_files.contains(it.key())) {
            *error = QStringLiteral("it is cut short: \"%1\" is missing").arg(it.key());
            return false;
        }
    }
    artifacts.sort();
    return true;
}

bool OpenBundle::load(const QString &name, QByteArray *data, QString *error) const
{
    const KArchiveFile *entry = m_files.value(name);
    const QJsonObject listed = m_listed.value(name);
    if (!entry || listed.isEmpty()) {
        *error = QStringLiteral("it is cut short: \"%1\" is missing").arg(name);
        return false;
    }
    const qint64 size = qint64(listed.value(QLatin1String("size")).toDouble(-1));
    if (entry->size() != size) {
        *error = QStringLiteral("\"%1\" has %2 bytes, its manifest says %3").arg(name).arg(entry->size()).arg(size);
        return false;
    }
    if (size > MaxLoadedFileBytes) {
        *error = QStringLiteral("\"%1\" declares %2 bytes, more than ctestd reads").arg(name).arg(size);
        return false;
    }
    *data = entry->data();
    if (data->size() != size || checksum(*data) != listed.value(QLatin1String("crc32")).toString()) {
        *error = QStringLiteral("it is corrupt or cut short: \"%1\" does not match its checksum").arg(name);
        return false;
    }
    return true;
}

} // namespace

bool BundleReader::read(const QString &path, Bundle *bundle, QString *error)
{
    OpenBundle open;
    if (!open.open(path, error))
        return false;
    Bundle read;
    read.path = path;
    read.manifest = open.manifest;
    read.artifacts = open.artifacts;
    QByteArray run;
    if (!open.load(RunName, &run, error) || !open.load(StdoutName, &read.stdoutText, error)
        || !open.load(StderrName, &read.stderrText, error) || !open.load(JUnitName, &read.junit, error))
        return false;
    QString why;
    if (!parseRunRecord(run, &read.record, &why)) {
        *error = QStringLiteral("its %1: %2").arg(RunName, why);
        return false;
    }
    *bundle = read;
    return true;
}

bool BundleReader::extractArtifacts(const QString &path, const QString &destination, QString *error)
{
    OpenBundle open;
    if (!open.open(path, error))
        return false;
    const QDir root(destination);
    if (!root.mkpath(QStringLiteral("."))) {
        *error = QStringLiteral("cannot create the folder %1").arg(destination);
        return false;
    }
    const QString canonicalRoot = QFileInfo(destination).canonicalFilePath();
    for (const QString &name : qAsConst(open.artifacts)) {
        const QString target = root.absoluteFilePath(name);
        const QFileInfo info(target);
        if (!root.mkpath(QFileInfo(name).path())) {
            *error = QStringLiteral("cannot create the folder for %1").arg(target);
            return false;
        }
        // The folder must still be inside the destination: a folder on the
        // way could be a link someone put there.
        const QString folder = QFileInfo(info.path()).canonicalFilePath();
        if (folder != canonicalRoot && !folder.startsWith(canonicalRoot + QLatin1Char('/'))) {
            *error = QStringLiteral("%1 would be written outside %2").arg(name, destination);
            return false;
        }
        QFile out(target);
        if (!out.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
            *error = QStringLiteral("cannot create %1: %2").arg(target, out.errorString());
            return false;
        }
        const KArchiveFile *entry = open.file(name);
        std::unique_ptr<QIODevice> in(entry->createDevice());
        qint64 left = entry->size();
        QByteArray buffer(1 << 20, Qt::Uninitialized);
        while (left > 0) {
            const qint64 got = in->read(buffer.data(), qMin<qint64>(left, buffer.size()));
            if (got <= 0 || out.write(buffer.constData(), got) != got) {
                *error = QStringLiteral("cannot copy %1 out of the bundle (cut short?)").arg(name);
                return false;
            }
            left -= got;
        }
    }
    return true;
}

} // namespace ctestd
