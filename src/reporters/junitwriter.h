// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "idlework.h"
#include "model/runlistener.h"
#include "model/testmodel.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QString>
#include <QVector>

class QIODevice;

namespace ctestd {

// The run-wide facts a JUnit file carries besides the cases.
struct JUnitRunInfo {
    QDateTime timestamp; // start of the run; written as given, without a zone suffix
    QString hostname; // empty: this machine's name
    double wallSeconds = 0; // <testsuites time>
    // The testcase name and classname: the framework's case name ("Zero",
    // with "<executable>.<suite>" as classname) for executables run
    // directly, or ctest's for a build tree (both the CTest test name,
    // "Typed.Zero<int>"), so that a test keeps its history on a CI server
    // when a project switches from ctest.
    bool ctestNames = false;
    // With ctestNames: the <testsuite> name ctest gives a build tree's tests
    // (its BuildName, "(empty)" without one). Tests that run as ctest runs
    // them (TestCase::ctestTest: plain programs, `cmake -P` scripts) go into
    // this suite with classname = their test name, as in ctest's JUnit,
    // instead of a suite named after their program ("cmake", "python3").
    QString ctestSuiteName = QStringLiteral("(empty)");
    // <testcase file=... line=...> (--junit-locations). GitLab links a case
    // to its file and mikepenz/action-junit-report annotates file:line with
    // them, but Jenkins' xunit plugin validates against junit-10.xsd, which
    // has neither, and skips the file: the default leaves them out.
    bool caseLocations = false;
};

// Text made safe for XML 1.0 the way CMake's cmXMLSafe does it, so ctestd's files
// escape exactly like ctest --output-junit: a byte that is not part of valid UTF-8
// becomes "[NON-UTF-8-BYTE-0xNN]", a character XML 1.0 forbids (controls other than
// tab and newline, surrogates, U+FFFE/U+FFFF) becomes "[NON-XML-CHAR-0xNN]", and
// CR is dropped. The markers are plain text, so the result survives every parser.
QByteArray xmlSafeText(const QByteArray &utf8); // element content: & < > escaped
QByteArray xmlSafeAttribute(const QByteArray &utf8); // also " ' and tab/newline as references
QByteArray xmlSafeCData(const QByteArray &utf8); // "<![CDATA[...]]>", "]]>" split across sections

// Writes a run as JUnit XML in the dialect Jenkins, GitLab, GitHub reporters and
// Azure all read (README, "Output formats"): one <testsuite> per executable (and
// for a build tree one for its plain tests), in the order of each suite's first
// case, cases in #K order.
class JUnitWriter {
public:
    // results[i] belongs to cases[i]; a missing result is written as not run.
    // `prepared`: #K -> the case's <testcase> element, made by caseXml()
    // while the run went on, used instead of making it again.
    static QByteArray toXml(const QVector<TestCase> &cases, const QVector<CaseResult> &results,
        const JUnitRunInfo &info, const QHash<int, QByteArray> *prepared = nullptr);
    // The <testsuite> a case is in: its program's file name, or for a build
    // tree's own tests JUnitRunInfo::ctestSuiteName.
    static QString suiteName(const TestCase &testCase, const JUnitRunInfo &info);
    // One case's <testcase> element, as toXml() writes it in `suite`.
    static QByteArray caseXml(
        const TestCase &testCase, const CaseResult &result, const JUnitRunInfo &info, const QString &suite);

    // Replaces path atomically (temp file in the same directory, then rename), so a
    // CI reader never sees half a file and a failed write keeps the old one. A path
    // that is not a regular file (a FIFO, a device, /dev/stdout) is written in place.
    [[nodiscard]] static bool write(const QString &path, const QVector<TestCase> &cases,
        const QVector<CaseResult> &results, const JUnitRunInfo &info, QString *error,
        const QHash<int, QByteArray> *prepared = nullptr);
};

// --output-junit: writes the run's JUnit file when the run ends. A file that
// cannot be written fails a run that passed (exit code 1), so CI never
// trusts a report that is not there.
// The <testcase> elements of the cases that finished, made while the run
// goes on (IdleWork), so that writing the file at the end is mostly
// joining them.
class PreparedJUnitCases {
public:
    void start(const JUnitRunInfo &info) { m_info = info; }
    void add(const TestCase &testCase, const CaseResult &result);
    // Every added case's element, by #K, for JUnitWriter::toXml().
    const QHash<int, QByteArray> &finish();

private:
    bool prepareSome();

    JUnitRunInfo m_info;
    QVector<QPair<TestCase, CaseResult>> m_finished;
    int m_prepared = 0;
    QHash<int, QByteArray> m_elements;
    QHash<QString, QString> m_suiteNames; // program -> suiteName()
    IdleWork m_idle {[this] { return prepareSome(); }};
};

class JUnitReporter final : public RunListener {
public:
    // `path`: as given; for a build tree, relative to it, as in ctest.
    JUnitReporter(const QString &path, QIODevice *err, bool caseLocations = false);

    // Creates the file's folder, as ctest does, and checks that a file can
    // be written there.
    bool ready(const RunStart &run, QString *error) override;
    void runStarted(const RunStart &run) override;
    void caseFinished(const TestCase &testCase, const CaseResult &result) override { m_prepared.add(testCase, result); }
    int runFinished(const RunEnd &end, int exitCode) override;
    // `ctestd report`: the host the run ran on (default: this one).
    void setHostname(const QString &hostname) { m_info.hostname = hostname; }

private:
    QString m_path;
    QIODevice *m_err;
    JUnitRunInfo m_info;
    PreparedJUnitCases m_prepared;
};

} // namespace ctestd
