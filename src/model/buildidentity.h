// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QString>

namespace ctestd {

// What tells one build of a test executable from another, on any host: its
// GNU build-id ("gnu-build-id:<hex>", the linker's hash of the program,
// kept in an ELF note), else the SHA-256 of the whole file
// ("sha256:<hex>"). A worker on another host compares it with the
// coordinator's, so that a host with another build (or none) at the same
// path runs nothing: its results would be another build's.
// Empty, with `error` set, when the file cannot be read.
QString buildIdentity(const QString &path, QString *error);

// The same, remembered per path while the file's size and modification
// time stay the same: a worker is asked once per unit.
QString cachedBuildIdentity(const QString &path, QString *error);

} // namespace ctestd
