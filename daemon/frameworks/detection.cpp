// SPDX-License-Identifier: BSD-3-Clause
#include "detection.h"

#include "core/logging.h"

#include <QFile>
#include <QVector>

#include <algorithm>
#include <cstring>
#include <elf.h>
#include <functional>

namespace ctestd {

namespace {

struct Markers {
    const char *framework;
    QByteArrayList strings;
};

// Checked in this order; the first framework with a marker wins. Frameworks
// whose binaries also link Qt (a GoogleTest suite using QSignalSpy) come
// before Qt Test, which is recognised only by the library it needs.
const QVector<Markers> &markerTable()
{
    static const QVector<Markers> table = {
        // doctest prints "[doctest] " before every message of its own.
        {"doctest", {QByteArrayLiteral("[doctest] ")}},
        // Catch2 v2's help text; v3's (which dropped the former); v3 as a shared library.
        {"catch2",
            {QByteArrayLiteral("--list-test-names-only"), QByteArrayLiteral("--list-listeners"),
                QByteArrayLiteral("libCatch2")}},
        // Boost.Test's shared library, its mangled namespace, the header-only variant's strings.
        {"boost",
            {QByteArrayLiteral("libboost_unit_test_framework"), QByteArrayLiteral("_ZN5boost9unit_test"),
                QByteArrayLiteral("boost.test")}},
        // GoogleTest linked statically (its help text) or as a shared library.
        {"gtest",
            {QByteArrayLiteral("--gtest_list_tests"), QByteArrayLiteral("libgtest.so"),
                QByteArrayLiteral("libgtest_main.so")}},
        {"qtest", {QByteArrayLiteral("libQt5Test.so"), QByteArrayLiteral("libQt6Test.so")}},
    };
    return table;
}

struct Range {
    qint64 offset = 0;
    qint64 size = 0;
};

// The parts of a file worth searching. In a 64-bit ELF file: every section
// but debug information, which is most of a debug build's bytes and holds
// none of the markers (they are in .rodata, .dynstr and the symbol tables).
// Anything else, or an ELF file that does not add up, is searched whole.
QVector<Range> searchRanges(const uchar *data, qint64 size)
{
    const QVector<Range> whole {{0, size}};
    Elf64_Ehdr header;
    if (size < qint64(sizeof header) || std::memcmp(data, ELFMAG, SELFMAG) != 0 || data[EI_CLASS] != ELFCLASS64)
        return whole;
    std::memcpy(&header, data, sizeof header);
    const quint64 tableSize = quint64(header.e_shnum) * sizeof(Elf64_Shdr);
    if (header.e_shoff == 0 || header.e_shentsize != sizeof(Elf64_Shdr) || header.e_shstrndx >= header.e_shnum
        || header.e_shoff > quint64(size) || tableSize > quint64(size) - header.e_shoff)
        return whole;
    const auto section = [&](int index) {
        Elf64_Shdr entry;
        std::memcpy(&entry, data + header.e_shoff + quint64(index) * sizeof entry, sizeof entry);
        return entry;
    };
    const auto fits = [size](quint64 offset, quint64 length) {
        return offset <= quint64(size) && length <= quint64(size) - offset;
    };
    const Elf64_Shdr names = section(header.e_shstrndx);
    if (!fits(names.sh_offset, names.sh_size))
        return whole;
    QVector<Range> ranges;
    for (int i = 0; i < header.e_shnum; ++i) {
        const Elf64_Shdr entry = section(i);
        if (entry.sh_type == SHT_NOBITS || entry.sh_size == 0)
            continue;
        if (!fits(entry.sh_offset, entry.sh_size) || entry.sh_name >= names.sh_size)
            return whole;
        const char *name = reinterpret_cast<const char *>(data + names.sh_offset + entry.sh_name);
        const size_t nameRoom = names.sh_size - entry.sh_name;
        const QByteArray sectionName(name, int(::strnlen(name, nameRoom)));
        if (sectionName.startsWith(".debug") || sectionName.startsWith(".zdebug"))
            continue;
        ranges.append({qint64(entry.sh_offset), qint64(entry.sh_size)});
    }
    return ranges.isEmpty() ? whole : ranges;
}

bool containsAny(const uchar *data, const QVector<Range> &ranges, const QByteArrayList &markers)
{
    for (const QByteArray &marker : markers) {
        const std::boyer_moore_horspool_searcher searcher(marker.cbegin(), marker.cend());
        for (const Range &range : ranges) {
            const auto *begin = reinterpret_cast<const char *>(data + range.offset);
            const auto *end = begin + range.size;
            if (std::search(begin, end, searcher) != end)
                return true;
        }
    }
    return false;
}

// The index of the first of `sets` that has a marker in the file, or -1
// (also when the file cannot be read).
int firstSetFound(const QString &path, const QVector<QByteArrayList> &sets)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || file.size() == 0)
        return -1;
    // Mapped, not read: test binaries with debug information are often
    // hundreds of megabytes.
    const uchar *data = file.map(0, file.size());
    if (!data)
        return -1;
    const QVector<Range> ranges = searchRanges(data, file.size());
    for (int i = 0; i < sets.size(); ++i) {
        if (containsAny(data, ranges, sets.at(i)))
            return i;
    }
    return -1;
}

} // namespace

bool fileContainsAny(const QString &path, const QByteArrayList &markers)
{
    return firstSetFound(path, {markers}) == 0;
}

QString detectFramework(const QString &executable)
{
    QVector<QByteArrayList> sets;
    for (const Markers &markers : markerTable())
        sets.append(markers.strings);
    const int found = firstSetFound(executable, sets);
    if (found < 0) {
        qCDebug(lcDaemon) << executable << "has no framework marker; running it as a plain test";
        return QStringLiteral("plain");
    }
    qCDebug(lcDaemon) << executable << "looks like" << markerTable().at(found).framework;
    return QString::fromLatin1(markerTable().at(found).framework);
}

} // namespace ctestd
