// SPDX-License-Identifier: BSD-3-Clause
#include "detection.h"

#include "model/logging.h"
#include "registry.h"

#include <QFile>
#include <QVector>

#include <algorithm>
#include <cstring>
#include <elf.h>
#include <functional>

namespace ctestd {

namespace {

struct Range {
    qint64 offset = 0;
    qint64 size = 0;
    // .strtab: the names of the symbols, most of a big test binary's
    // strings. Only mangled-name markers ("_ZN5boost...") are looked for
    // there; help texts and library names live in .rodata and .dynstr.
    bool symbolNames = false;
};

// The parts of a file worth searching. In a 64-bit ELF file: the sections
// that hold strings. The markers are help texts in .rodata, library names in
// .dynstr and mangled names in the symbol tables' string sections. Code,
// relocations, symbol entries, unwind tables and debug information hold
// none of them and are most of the file: a trivial gtest binary's 6 MB
// shrink to 1.8 MB, searched once per marker. Anything else, or an ELF file
// that does not add up, is searched whole.
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
        if (entry.sh_size == 0 || (entry.sh_type != SHT_PROGBITS && entry.sh_type != SHT_STRTAB)
            || (entry.sh_flags & SHF_EXECINSTR))
            continue;
        if (!fits(entry.sh_offset, entry.sh_size) || entry.sh_name >= names.sh_size)
            return whole;
        const char *name = reinterpret_cast<const char *>(data + names.sh_offset + entry.sh_name);
        const size_t nameRoom = names.sh_size - entry.sh_name;
        const QByteArray sectionName(name, int(::strnlen(name, nameRoom)));
        if (sectionName.startsWith(".debug") || sectionName.startsWith(".zdebug") || sectionName.startsWith(".eh_frame")
            || sectionName == ".gcc_except_table")
            continue;
        ranges.append({qint64(entry.sh_offset), qint64(entry.sh_size), sectionName == ".strtab"});
    }
    return ranges.isEmpty() ? whole : ranges;
}

bool containsAny(const uchar *data, const QVector<Range> &ranges, const QByteArrayList &markers)
{
    for (const QByteArray &marker : markers) {
        const std::boyer_moore_horspool_searcher searcher(marker.cbegin(), marker.cend());
        const bool mangled = marker.startsWith("_Z");
        for (const Range &range : ranges) {
            if (range.symbolNames && !mangled)
                continue;
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
    // The first framework with a marker wins. The order comes from the
    // registry, which does not change: worked out once.
    static const QVector<const FrameworkEntry *> order = [] {
        QVector<const FrameworkEntry *> detected;
        for (const FrameworkEntry &entry : frameworkRegistry()) {
            if (!entry.markers.isEmpty())
                detected.append(&entry);
        }
        std::stable_sort(detected.begin(), detected.end(),
            [](const FrameworkEntry *a, const FrameworkEntry *b) { return a->detectionOrder < b->detectionOrder; });
        return detected;
    }();
    static const QVector<QByteArrayList> sets = [] {
        QVector<QByteArrayList> markers;
        for (const FrameworkEntry *entry : order)
            markers.append(entry->markers);
        return markers;
    }();
    const int found = firstSetFound(executable, sets);
    if (found < 0) {
        const auto fallback = std::find_if(frameworkRegistry().cbegin(), frameworkRegistry().cend(),
            [](const FrameworkEntry &entry) { return entry.markers.isEmpty(); });
        qCDebug(lcDaemon) << executable << "has no framework marker; running it as" << fallback->name;
        return fallback->name;
    }
    qCDebug(lcDaemon) << executable << "looks like" << order.at(found)->name;
    return order.at(found)->name;
}

} // namespace ctestd
