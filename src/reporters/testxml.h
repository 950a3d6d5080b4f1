// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "model/runlistener.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

class QIODevice;

namespace ctestd {

// How much of a test's output ctest keeps (--test-output-size-passed,
// --test-output-size-failed, --test-output-truncation).
struct OutputLimits {
    enum class Cut { Tail, Middle, Head };
    int passed = 1024;
    int failed = 300 * 1024;
    Cut cut = Cut::Tail;
};

// Where a Test.xml goes and what its <Site> says (ctest -T Test).
struct TestXmlSite {
    QString buildTree;
    QString path; // <tree>/Testing/<tag>/Test.xml
    QString name; // DartConfiguration.tcl's Site, or "(empty)"
    QString buildName; // its BuildName, or "(empty)"
    QString buildStamp; // "<tag>-<model>"
    OutputLimits limits;
};

// ctest's dashboard file, Testing/<tag>/Test.xml, in the CDash format that
// CDash, VS Code's CMake Tools and Azure's PublishTestResults read: one
// <Test> per test in #K order with its status (passed, failed, notrun),
// command line, NamedMeasurements (Exit Code, Exit Value, Execution Time,
// Fail Reason, Completion Status, ...), labels and output, kept and cut as
// ctest keeps it (1 KiB for a passed test, 300 KiB for a failed one, unless
// the output says CTEST_FULL_OUTPUT) and zlib-compressed in base64 where
// that is smaller, unless --no-compress-output.
class TestXmlReporter final : public RunListener {
public:
    TestXmlReporter(const TestXmlSite &site, bool compressOutput, QIODevice *err);

    bool ready(const RunStart &run, QString *error) override;
    void runStarted(const RunStart &run) override;
    int runFinished(const RunEnd &end, int exitCode) override;

    // The document for `end`; public for tests.
    QByteArray document(const RunEnd &end, const QDateTime &start, const QDateTime &finish) const;

private:
    TestXmlSite m_site;
    bool m_compress;
    QIODevice *m_err;
    QDateTime m_start;
};

// ctest's CleanTestOutput: output longer than `limit` bytes loses its tail,
// middle or head (never inside a UTF-8 sequence) and says so, unless it
// contains CTEST_FULL_OUTPUT.
QByteArray ctestKeptOutput(const QByteArray &output, int limit, OutputLimits::Cut cut = OutputLimits::Cut::Tail);

// cmsysBase64_Encode with its end mark: standard base64, plus "====" when
// the input's length is a multiple of 3.
QByteArray cmsysBase64(const QByteArray &data);

} // namespace ctestd
