// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QString>
#include <QStringList>

namespace ctestd::ctest {

// How ctest names the directory it runs in. ctest (through kwsys) keeps the
// shell's spelling of the current directory: $PWD when it is the same
// directory as getcwd(), symlinks and all, and any path below the physical
// directory is spelled below $PWD instead.
class WorkingDirectory {
public:
    // From the process' getcwd() and $PWD.
    static WorkingDirectory current();
    // From given values (tests); `physical` is getcwd()'s canonical path.
    WorkingDirectory(const QString &physical, const QString &pwd);

    // What ctest calls the current directory ("Test project ..." without --test-dir).
    QString logical() const { return m_logical; }
    // An absolute path as ctest spells it: below the physical current
    // directory means below the logical one.
    QString translated(const QString &absolutePath) const;
    // `path` made absolute against the logical directory, "." and ".."
    // removed without resolving symlinks, then translated (kwsys'
    // CollapseFullPath).
    QString collapsed(const QString &path) const;

private:
    QString m_physical;
    QString m_logical;
};

// What ctest 3.25 does with --test-dir DIR (or without it, when `given` is
// empty): whether it changes directory, and the "Test project" it names.
struct TestDirectory {
    QString announced; // the directory in "Internal ctest changing into directory: ..."
    bool changes = false; // whether ctest prints that line: DIR is not the current directory
    QString project; // the directory in "Test project ...", and where ctestd reads the tree
};
TestDirectory resolveTestDirectory(const QString &given, const WorkingDirectory &cwd = WorkingDirectory::current());

// The places ctest 3.25 (no -C) looks for a test's executable, in its order
// and with its repetitions (each place twice: as is, and with the platform's
// executable suffix, which is empty here): the command's directory and its
// configuration subdirectories, and for an absolute path the same again
// relative to the current directory.
QStringList executableSearchPlaces(const QString &command);

// What ctest prints on stdout for a test whose executable it cannot find:
//   Could not find executable <command>
//   Looked in the following places:
//   <each place>
QString couldNotFindText(const QString &command);

} // namespace ctestd::ctest
