// SPDX-License-Identifier: BSD-3-Clause
#include "testxml.h"

#include "junitwriter.h"
#include "reportfile.h"

#include <QCoreApplication>
#include <QDir>
#include <QIODevice>
#include <QLocale>
#include <QSysInfo>
#include <QThread>

#include <algorithm>
#include <sys/utsname.h>

namespace ctestd {

namespace {

// A small writer for ctest's layout: tabs, one element per line.
class Xml {
public:
    void open(int depth, const QByteArray &element, const QByteArray &attributes = QByteArray())
    {
        indent(depth);
        m_out += '<' + element + attributes + ">\n";
    }
    void close(int depth, const QByteArray &element)
    {
        indent(depth);
        m_out += "</" + element + ">\n";
    }
    void text(int depth, const QByteArray &element, const QByteArray &utf8)
    {
        indent(depth);
        m_out += '<' + element + '>' + xmlSafeText(utf8) + "</" + element + ">\n";
    }
    void measurement(int depth, const char *type, const char *name, const QByteArray &value)
    {
        open(depth, "NamedMeasurement", QByteArray(" type=\"") + type + "\" name=\"" + name + '"');
        text(depth + 1, "Value", value);
        close(depth, "NamedMeasurement");
    }
    void raw(const QByteArray &bytes) { m_out += bytes; }
    QByteArray take() { return std::move(m_out); }

private:
    void indent(int depth) { m_out += QByteArray(depth, '\t'); }
    QByteArray m_out;
};

// One attribute of <Site>, on a line of its own as ctest writes them.
QByteArray attribute(const char *name, const QString &value, bool first = false)
{
    return QByteArray(first ? " " : "\n\t") + name + "=\"" + xmlSafeAttribute(value.toUtf8()) + '"';
}

// ctest's "Path": the test's directory as cmCTest::GetShortPathToFile gives it.
QString shortPath(const QString &buildTree, const QString &directory)
{
    if (directory.isEmpty())
        return QStringLiteral(".");
    const QString relative = QDir(buildTree).relativeFilePath(directory);
    if (relative.isEmpty() || relative == QLatin1String("."))
        return QStringLiteral(".");
    if (relative.startsWith(QLatin1String("..")))
        return directory;
    return QStringLiteral("./") + relative;
}

// cmCTest::GetShortPathToFile also turns spaces and colons into underscores.
QString ctestShortPath(QString path)
{
    return path.replace(QLatin1Char(' '), QLatin1Char('_')).replace(QLatin1Char(':'), QLatin1Char('_'));
}

// ctest's command line: the program (spaces escaped), then each argument
// in double quotes.
QByteArray commandLine(const QStringList &command)
{
    if (command.isEmpty())
        return QByteArray();
    QByteArray line = command.first().toUtf8().replace(" ", "\\ ");
    for (int i = 1; i < command.size(); ++i)
        line += " \"" + command.at(i).toUtf8() + '"';
    return line;
}

const char *testStatus(Status status)
{
    switch (status) {
    case Status::Passed:
        return "passed";
    case Status::Failed:
    case Status::Timeout:
    case Status::Crashed:
        return "failed";
    default:
        return "notrun";
    }
}

bool ran(Status status)
{
    return status == Status::Passed || status == Status::Failed || status == Status::Timeout
        || status == Status::Crashed || status == Status::Skipped;
}

// ctest's "Completion Status".
QString completionStatus(const TestCase &testCase, const CaseResult &result)
{
    switch (result.status) {
    case Status::Disabled:
        return QStringLiteral("Disabled");
    case Status::Skipped:
        if (testCase.rules.skipReturnCode >= 0 && result.exitCode == testCase.rules.skipReturnCode)
            return QStringLiteral("SKIP_RETURN_CODE=%1").arg(testCase.rules.skipReturnCode);
        return QStringLiteral("SKIP_REGULAR_EXPRESSION_MATCHED");
    case Status::NotRun:
        if (testCase.needsConfiguration)
            return QStringLiteral("Missing Configuration");
        if (result.noticeOut.startsWith("Failed test dependencies"))
            return QStringLiteral("Fixture dependency failed");
        if (result.message.startsWith(QLatin1String("Unable to find required file")))
            return QStringLiteral("Required Files Missing");
        if (result.message.startsWith(QLatin1String("Unable to find executable")))
            return QStringLiteral("Unable to find executable");
        return result.message;
    case Status::Stopped:
        return result.message;
    default:
        return QStringLiteral("Completed");
    }
}

// What a test that did not run shows as its output.
QByteArray notRunText(const CaseResult &result)
{
    if (result.status == Status::Disabled)
        return "Disabled";
    if (result.noticeOut.startsWith("Failed test dependencies"))
        return result.noticeOut.trimmed();
    return result.message.toUtf8();
}

QByteArray uname(const char *field)
{
    struct utsname names { };
    if (::uname(&names) != 0)
        return QByteArray();
    const QByteArray which(field);
    if (which == "sysname")
        return names.sysname;
    if (which == "release")
        return names.release;
    if (which == "version")
        return names.version;
    return names.machine;
}

} // namespace

QByteArray ctestKeptOutput(const QByteArray &output, int limit, OutputLimits::Cut cut)
{
    if (limit <= 0 || output.size() <= limit || output.contains("CTEST_FULL_OUTPUT"))
        return output;
    // The first n bytes, backed up to the start of a UTF-8 sequence: ctest
    // does not split one.
    const auto advance = [&output](int n) {
        while (n > 0 && n < output.size() && (static_cast<unsigned char>(output.at(n)) & 0xC0) == 0x80)
            --n;
        return n;
    };
    const QByteArray message = "\n[This part of the test output was removed since it exceeds the threshold of "
        + QByteArray::number(limit) + " bytes.]\n";
    switch (cut) {
    case OutputLimits::Cut::Head: {
        const int drop = advance(int(output.size()) - limit);
        return message + "..." + output.mid(drop);
    }
    case OutputLimits::Cut::Middle: {
        const int keep = advance(limit / 2);
        return output.left(keep) + "..." + message + "..." + output.mid(keep + int(output.size()) - limit);
    }
    case OutputLimits::Cut::Tail:
        break;
    }
    return output.left(advance(limit)) + "..." + message;
}

QByteArray cmsysBase64(const QByteArray &data)
{
    QByteArray encoded = data.toBase64();
    if (data.size() % 3 == 0)
        encoded += "====";
    return encoded;
}

TestXmlReporter::TestXmlReporter(const TestXmlSite &site, bool compressOutput, QIODevice *err)
    : m_site(site)
    , m_compress(compressOutput)
    , m_err(err)
{ }

bool TestXmlReporter::ready(const RunStart &, QString *error)
{
    return checkReportDestination(m_site.path, QStringLiteral("Test.xml"), error);
}

void TestXmlReporter::runStarted(const RunStart &)
{
    m_start = QDateTime::currentDateTimeUtc();
}

int TestXmlReporter::runFinished(const RunEnd &end, int exitCode)
{
    QString reason;
    if (!writeReportFile(m_site.path, document(end, m_start, QDateTime::currentDateTimeUtc()), &reason)) {
        if (m_err)
            m_err->write(QStringLiteral("ctestd: cannot write Test.xml %1: %2\n").arg(m_site.path, reason).toUtf8());
        return exitCode == 0 ? 1 : exitCode;
    }
    return exitCode;
}

QByteArray TestXmlReporter::document(const RunEnd &end, const QDateTime &start, const QDateTime &finish) const
{
    Xml xml;
    xml.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Site");
    xml.raw(attribute("BuildName", m_site.buildName, true) + attribute("BuildStamp", m_site.buildStamp)
        + attribute("Name", m_site.name)
        + attribute("Generator", QStringLiteral("ctestd-") + QCoreApplication::applicationVersion())
        + attribute("CompilerName", QString()) + attribute("CompilerVersion", QString())
        + attribute("OSName", QString::fromUtf8(uname("sysname"))) + attribute("Hostname", QSysInfo::machineHostName())
        + attribute("OSRelease", QString::fromUtf8(uname("release")))
        + attribute("OSVersion", QString::fromUtf8(uname("version")))
        + attribute("OSPlatform", QString::fromUtf8(uname("machine")))
        + attribute("Is64Bits", QSysInfo::WordSize == 64 ? QStringLiteral("1") : QStringLiteral("0"))
        + attribute("NumberOfLogicalCPU", QString::number(QThread::idealThreadCount())) + "\n\t>\n");
    xml.open(1, "Testing");
    const QString dateFormat = QStringLiteral("MMM dd hh:mm 'UTC'");
    xml.text(2, "StartDateTime", QLocale::c().toString(start, dateFormat).toUtf8());
    xml.text(2, "StartTestTime", QByteArray::number(start.toSecsSinceEpoch()));

    QVector<const CaseOutcome *> reported;
    for (const CaseOutcome &outcome : end.cases) {
        if (!outcome.leftOut)
            reported.append(&outcome);
    }
    std::stable_sort(reported.begin(), reported.end(),
        [](const CaseOutcome *a, const CaseOutcome *b) { return a->testCase.index < b->testCase.index; });
    const auto fullName = [this](const TestCase &testCase) {
        return ctestShortPath(
            shortPath(m_site.buildTree, testCase.workingDirectory) + QLatin1Char('/') + testCase.displayName);
    };
    xml.open(2, "TestList");
    for (const CaseOutcome *outcome : qAsConst(reported))
        xml.text(3, "Test", fullName(outcome->testCase).toUtf8());
    xml.close(2, "TestList");

    for (const CaseOutcome *outcome : qAsConst(reported)) {
        const TestCase &testCase = outcome->testCase;
        const CaseResult &result = outcome->result;
        const bool started = ran(result.status);
        xml.open(2, "Test", QByteArray(" Status=\"") + testStatus(result.status) + '"');
        xml.text(3, "Name", testCase.displayName.toUtf8());
        xml.text(3, "Path", ctestShortPath(shortPath(m_site.buildTree, testCase.workingDirectory)).toUtf8());
        xml.text(3, "FullName", fullName(testCase).toUtf8());
        const QByteArray command = started ? commandLine(testCase.command) : QByteArray();
        xml.text(3, "FullCommandLine", command);
        xml.open(3, "Results");
        // ctest gives the exit of a test that ran when it failed, or passed
        // with a non-zero exit code (WILL_FAIL, a PASS_REGULAR_EXPRESSION).
        const bool passed = result.status == Status::Passed;
        if ((isFailure(result.status) && result.status != Status::NotRun)
            || (passed && result.exitCode.value_or(0) != 0)) {
            xml.measurement(4, "text/string", "Exit Code",
                passed ? QByteArray("Completed") : ctestWords(result).listStatus.toUtf8());
            // A plain test's own exit code; ctest gives 0 for a killed one.
            // A framework's case has no exit code of its own.
            if (testCase.ctestTest)
                xml.measurement(4, "text/string", "Exit Value", QByteArray::number(result.exitCode.value_or(0)));
        }
        if (result.status == Status::Passed || isFailure(result.status)) {
            if (result.status != Status::NotRun)
                xml.measurement(4, "numeric/double", "Execution Time", QByteArray::number(result.seconds, 'g', 6));
        }
        if (!result.reason.isEmpty())
            xml.measurement(4, "text/string", "Fail Reason", result.reason.toUtf8());
        xml.measurement(4, "numeric/double", "Processors", QByteArray::number(testCase.processors));
        xml.measurement(4, "text/string", "Completion Status", completionStatus(testCase, result).toUtf8());
        xml.measurement(4, "text/string", "Command Line", command);
        QByteArray environment;
        if (started) {
            QStringList entries = testCase.environment;
            entries.sort();
            for (const QString &entry : qAsConst(entries))
                environment += entry.toUtf8() + '\n';
            environment += "#CTEST_RESOURCE_GROUP_COUNT=";
        }
        xml.measurement(4, "text/string", "Environment", environment);
        xml.open(4, "Measurement");
        if (started) {
            const QByteArray output = ctestKeptOutput(result.stdOut + result.stdErr,
                result.status == Status::Passed ? m_site.limits.passed : m_site.limits.failed, m_site.limits.cut);
            // ctest compresses the output of a process that exited, where
            // that makes it smaller.
            const bool exited = result.status != Status::Timeout && result.status != Status::Crashed;
            const QByteArray compressed
                = m_compress && exited && !output.isEmpty() ? qCompress(output).mid(4) : QByteArray();
            if (!compressed.isEmpty() && compressed.size() < output.size())
                xml.raw("\t\t\t\t\t<Value encoding=\"base64\" compression=\"gzip\">" + cmsysBase64(compressed)
                    + "</Value>\n");
            else
                xml.text(5, "Value", output);
        } else {
            xml.text(5, "Value", notRunText(result));
        }
        xml.close(4, "Measurement");
        xml.close(3, "Results");
        if (!testCase.labels.isEmpty()) {
            xml.open(3, "Labels");
            for (const QString &label : testCase.labels)
                xml.text(4, "Label", label.toUtf8());
            xml.close(3, "Labels");
        }
        xml.close(2, "Test");
    }
    xml.text(2, "EndDateTime", QLocale::c().toString(finish, dateFormat).toUtf8());
    xml.text(2, "EndTestTime", QByteArray::number(finish.toSecsSinceEpoch()));
    xml.text(2, "ElapsedMinutes", QByteArray::number(start.secsTo(finish) / 60));
    xml.close(1, "Testing");
    xml.raw("</Site>\n");
    return xml.take();
}

} // namespace ctestd
