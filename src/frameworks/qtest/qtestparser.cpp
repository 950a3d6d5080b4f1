// SPDX-License-Identifier: BSD-3-Clause
// QTestOutputParser: Qt Test's txt log, line by line, and its XML report
// once the process has ended.
#include "qtestadapter.h"

#include "frameworks/adaptertext.h"
#include "qtestformat.h"

#include <QFile>
#include <QRegularExpression>
#include <QXmlStreamReader>

#include <optional>

namespace ctestd {

using namespace qtest;

namespace {

const QLatin1String startBanner("********* Start testing of ");
const QLatin1String bannerEnd(" *********");
const QLatin1String totalsPrefix("Totals: ");
const QLatin1String configPrefix("Config: Using QtTest library ");
const QLatin1String finishedBanner("********* Finished testing of ");
const QLatin1String unknownTestData("Unknown testdata for function ");
const QLatin1String unknownFunction("Unknown test function: '");
const QLatin1String enteringSuffix(" entering");
const QLatin1String initTestCase("initTestCase");
const QLatin1String cleanupTestCase("cleanupTestCase");

// Qt Test's txt log line kinds: a 7-character field then ": ".
enum class Kind { Other, Pass, Fail, XFail, XPass, Skip, BPass, BFail, BXPass, BXFail, Fatal, Info, Message };

Kind lineKind(const QString &line, QString *subject)
{
    if (line.size() < 9 || line.at(7) != QLatin1Char(':') || line.at(8) != QLatin1Char(' '))
        return Kind::Other;
    static const QHash<QString, Kind> kinds {
        {QStringLiteral("PASS"), Kind::Pass},
        {QStringLiteral("FAIL!"), Kind::Fail},
        {QStringLiteral("XFAIL"), Kind::XFail},
        {QStringLiteral("XPASS"), Kind::XPass},
        {QStringLiteral("SKIP"), Kind::Skip},
        {QStringLiteral("BPASS"), Kind::BPass},
        {QStringLiteral("BFAIL"), Kind::BFail},
        {QStringLiteral("BXPASS"), Kind::BXPass},
        {QStringLiteral("BXFAIL"), Kind::BXFail},
        {QStringLiteral("QFATAL"), Kind::Fatal},
        {QStringLiteral("INFO"), Kind::Info},
        {QStringLiteral("QDEBUG"), Kind::Message},
        {QStringLiteral("QINFO"), Kind::Message},
        {QStringLiteral("QWARN"), Kind::Message},
        {QStringLiteral("QSYSTEM"), Kind::Message},
        {QStringLiteral("WARNING"), Kind::Message},
        {QStringLiteral("RESULT"), Kind::Message},
    };
    const Kind kind = kinds.value(line.left(7).trimmed(), Kind::Other);
    if (kind != Kind::Other)
        *subject = line.mid(9);
    return kind;
}

// The status a result line gives its row. Blacklisted results do not count
// for Qt (they do not change its exit code), so a blacklisted failure is not
// a failure here either, but it is no pass: it is reported Skipped, with the
// failure as the message. A blacklisted pass is a pass.
bool rowStatus(Kind kind, Status *status, QString *prefix)
{
    prefix->clear();
    switch (kind) {
    case Kind::Pass:
    case Kind::XFail: // expected failure (a PASS line follows it)
    case Kind::BPass:
    case Kind::BXFail:
        *status = Status::Passed;
        return true;
    case Kind::Fail:
        *status = Status::Failed;
        return true;
    case Kind::XPass:
        *status = Status::Failed;
        *prefix = QStringLiteral("XPASS: ");
        return true;
    case Kind::Skip:
        *status = Status::Skipped;
        return true;
    case Kind::BFail:
        *status = Status::Skipped;
        *prefix = QStringLiteral("blacklisted failure: ");
        return true;
    case Kind::BXPass:
        *status = Status::Skipped;
        *prefix = QStringLiteral("blacklisted unexpected pass: ");
        return true;
    default:
        return false;
    }
}

// `TestMath::data_test(two words) message` -> function "data_test", rest
// "two words) message". The class is the one of the start banner if known.
bool parseSubject(const QString &subject, const QString &className, QString *function, QString *rest)
{
    int from = 0;
    if (!className.isEmpty()) {
        if (!subject.startsWith(className + QLatin1String("::")))
            return false;
        from = className.size() + 2;
    }
    const int open = subject.indexOf(QLatin1Char('('), from);
    if (open < 0)
        return false;
    if (className.isEmpty()) {
        const int sep = subject.lastIndexOf(QLatin1String("::"), open);
        if (sep < 0)
            return false;
        from = sep + 2;
    }
    *function = subject.mid(from, open - from);
    *rest = subject.mid(open + 1);
    return isIdentifier(*function);
}

// Splits "G2:r1) message" for a case `f:r1` into global row "G2" and
// "message"; "r1) message" has no global row. For a case without a tag, "G2)
// message" is global row G2 and ") message" is none.
void splitRow(const QString &rest, const QString &tag, bool hasTag, QString *globalTag, QString *message)
{
    int end = -1;
    globalTag->clear();
    if (hasTag) {
        const QString local = tag + QLatin1Char(')');
        if (rest.startsWith(local)) {
            end = local.size();
        } else {
            const int at = rest.indexOf(QLatin1Char(':') + local);
            if (at >= 0) {
                *globalTag = rest.left(at);
                end = at + local.size() + 1;
            }
        }
    } else {
        const int close = rest.indexOf(QLatin1Char(')'));
        if (close >= 0) {
            *globalTag = rest.left(close);
            end = close + 1;
        }
    }
    if (end < 0) {
        // Not a row of this case (Qt would not print it): keep the text.
        *message = rest;
        return;
    }
    *message = rest.mid(end);
    if (message->startsWith(QLatin1Char(' ')))
        message->remove(0, 1);
}

// "   Loc: [/src/tst.cpp(12)]"
bool parseLoc(const QString &line, QString *file, int *number)
{
    static const QRegularExpression loc(QStringLiteral("^\\s+Loc: \\[(.*)\\((\\d+)\\)\\]$"));
    const QRegularExpressionMatch match = loc.match(line);
    if (!match.hasMatch())
        return false;
    *file = match.captured(1);
    *number = match.captured(2).toInt();
    if (*file == QLatin1String("Unknown file"))
        file->clear();
    return true;
}

QString incidentMessage(const QTestOutputParser::Incident &incident)
{
    const QString text = joinedMessage(incident.lines);
    return incident.globalTag.isEmpty() ? text
                                        : QStringLiteral("global data row \"%1\": %2").arg(incident.globalTag, text);
}

// Adds initTestCase's or cleanupTestCase's failure to a case's result.
void addFixtureFailure(CaseResult *result, const QTestOutputParser::Incident &fixture, const QString &function)
{
    const QString text = QStringLiteral("%1() failed: %2").arg(function, joinedMessage(fixture.lines));
    if (result->status == Status::Failed) {
        result->message = result->message.isEmpty() ? text : result->message + QLatin1Char('\n') + text;
    } else {
        result->status = Status::Failed;
        result->message = text;
        result->file = fixture.file;
        result->line = fixture.line;
    }
}

} // namespace

QTestOutputParser::QTestOutputParser(const QString &scratchDir, const QStringList &selectors)
    : m_scratchDir(scratchDir)
    , m_selectors(selectors)
{
    for (const QString &selector : selectors) {
        Request request;
        splitSelector(selector, &request.function, &request.tag, &request.hasTag);
        request.unselectable = QTestAdapter::unselectableReason(selector);
        m_requests.append(request);
    }
}

bool QTestOutputParser::aggregate(const QVector<Incident> &incidents, CaseResult *result)
{
    // Failed if any row failed; Skipped if every row skipped; else Passed.
    const Incident *failed = nullptr;
    const Incident *skipped = nullptr;
    bool passed = false;
    for (const Incident &incident : incidents) {
        if (incident.status == Status::Failed && !failed)
            failed = &incident;
        else if (incident.status == Status::Skipped && !skipped)
            skipped = &incident;
        else if (incident.status == Status::Passed)
            passed = true;
    }
    const Incident *chosen = failed ? failed : (!passed ? skipped : nullptr);
    if (!chosen && !passed)
        return false;
    *result = CaseResult();
    result->status = chosen ? chosen->status : Status::Passed;
    if (chosen) {
        result->message = incidentMessage(*chosen);
        result->file = chosen->file;
        result->line = chosen->line;
    }
    return true;
}

int QTestOutputParser::nextRequest(const QString &function) const
{
    // Qt runs the arguments in order; the first not yet started is expected.
    for (int i = 0; i < m_requests.size(); ++i) {
        const Request &request = m_requests.at(i);
        if (!request.started && request.unselectable.isEmpty() && request.function == function)
            return i;
    }
    return -1;
}

void QTestOutputParser::start(int index, ParsedLine *parsed)
{
    m_requests[index].started = true;
    m_running = index;
    m_incidents.clear();
    m_budget = MessageBudget();
    LineEvent event;
    event.kind = LineEvent::Started;
    event.selector = m_selectors.at(index);
    parsed->events.append(event);
}

void QTestOutputParser::finishRunning(ParsedLine *parsed)
{
    if (m_running < 0)
        return;
    CaseResult result;
    const bool haveResult = aggregate(m_incidents, &result);
    if (m_cleanupFailed) {
        addFixtureFailure(&result, m_cleanup, cleanupTestCase);
        m_cleanupFailed = false;
    } else if (!haveResult) {
        // No result line: nothing is reported for it (the worker and the
        // run account for a case that never finished).
        m_running = -1;
        return;
    }
    LineEvent event;
    event.kind = LineEvent::Finished;
    event.selector = m_selectors.at(m_running);
    event.result = result;
    parsed->events.append(event);
    m_running = -1;
    m_incidents.clear();
    m_collect = Collect::None;
}

QTestOutputParser::Incident *QTestOutputParser::collectingIncident()
{
    switch (m_collect) {
    case Collect::Case:
        return m_incidents.isEmpty() ? nullptr : &m_incidents.last();
    case Collect::Init:
        return &m_init;
    case Collect::Cleanup:
        return &m_cleanup;
    case Collect::None:
        break;
    }
    return nullptr;
}

void QTestOutputParser::appendLine(Incident *incident, const QString &text)
{
    m_budget.append(&incident->lines, text);
}

void QTestOutputParser::flushInitOutcome(ParsedLine *parsed)
{
    if (!m_initPending)
        return;
    m_initPending = false;
    // QSKIP or a failure in initTestCase: Qt runs no function, only
    // cleanupTestCase. Every requested case gets initTestCase's result.
    CaseResult result;
    if (m_init.status == Status::Skipped) {
        result.status = Status::Skipped;
        result.message = joinedMessage(m_init.lines);
        result.file = m_init.file;
        result.line = m_init.line;
    } else {
        addFixtureFailure(&result, m_init, initTestCase);
    }
    for (int i = 0; i < m_requests.size(); ++i) {
        if (m_requests.at(i).started || !m_requests.at(i).unselectable.isEmpty())
            continue;
        start(i, parsed);
        LineEvent event;
        event.kind = LineEvent::Finished;
        event.selector = m_selectors.at(i);
        event.result = result;
        parsed->events.append(event);
        m_running = -1;
    }
}

ParsedLine QTestOutputParser::parseStdoutLine(const QByteArray &rawLine)
{
    const QString line = QString::fromUtf8(withoutCarriageReturn(rawLine));
    ParsedLine parsed;

    if (!m_seenOutput) {
        // Cases Qt Test cannot select were not passed to it: they fail with
        // the reason as soon as the process shows it started.
        m_seenOutput = true;
        for (int i = 0; i < m_requests.size(); ++i) {
            if (m_requests.at(i).unselectable.isEmpty())
                continue;
            m_requests[i].started = true;
            LineEvent started;
            started.kind = LineEvent::Started;
            started.selector = m_selectors.at(i);
            parsed.events.append(started);
            LineEvent finished;
            finished.kind = LineEvent::Finished;
            finished.selector = m_selectors.at(i);
            finished.result.status = Status::Failed;
            finished.result.message = m_requests.at(i).unselectable;
            parsed.events.append(finished);
        }
    }
    if (m_crashed)
        return parsed; // Qt's "Received a fatal error" and its totals: the worker blames the running case

    QString subject;
    const Kind kind = lineKind(line, &subject);

    // Detail lines after a result ("   Loc: [...]", "   Actual ..."), and Qt's
    // list of tags after "Unknown testdata".
    const bool indented = !line.isEmpty() && (line.at(0) == QLatin1Char(' ') || line.at(0) == QLatin1Char('\t'));
    if (indented || (m_collectPlainLines && kind == Kind::Other && !line.startsWith(totalsPrefix))) {
        if (Incident *incident = collectingIncident()) {
            QString file;
            int number = 0;
            if (parseLoc(line, &file, &number)) {
                incident->file = file;
                incident->line = number;
            } else {
                appendLine(incident, line);
            }
        }
        return parsed;
    }
    m_collect = Collect::None;
    m_collectPlainLines = false;
    flushInitOutcome(&parsed);

    // Qt Test's lines about the process, not about a case: the start banner,
    // the Config line (Qt's version and build), the totals and the closing
    // banner. In a case's output they would read as that case's.
    if (line.startsWith(startBanner) && line.endsWith(bannerEnd)) {
        m_class = line.mid(startBanner.size(), line.size() - startBanner.size() - bannerEnd.size());
        parsed.display = QByteArray();
        return parsed;
    }
    if (line.startsWith(configPrefix) || (line.startsWith(finishedBanner) && line.endsWith(bannerEnd))) {
        parsed.display = QByteArray();
        return parsed;
    }
    if (line.startsWith(totalsPrefix)) {
        m_reachedEnd = true;
        finishRunning(&parsed);
        parsed.display = QByteArray();
        return parsed;
    }
    if (line.startsWith(unknownTestData)) {
        // "Unknown testdata for function data_test: 'nope()'" (or "f(): 'x'"):
        // Qt runs nothing after it but cleanupTestCase, and exits 0: its
        // own end, not a test's exit().
        m_reachedEnd = true;
        QString function = line.mid(unknownTestData.size());
        function = function.left(function.indexOf(QLatin1Char(':')));
        if (function.endsWith(QLatin1String("()")))
            function.chop(2);
        if (m_running < 0 || m_requests.at(m_running).function != function) {
            finishRunning(&parsed);
            const int index = nextRequest(function);
            if (index < 0)
                return parsed;
            start(index, &parsed);
        }
        Incident incident;
        incident.status = Status::Failed;
        m_incidents.append(incident);
        appendLine(&m_incidents.last(), line);
        m_collect = Collect::Case;
        m_collectPlainLines = true;
        return parsed;
    }
    if (line.startsWith(unknownFunction)) {
        // Qt exits 1 at once, before running anything.
        m_reachedEnd = true;
        const int end = line.indexOf(QLatin1Char('\''), unknownFunction.size());
        const int index = nextRequest(line.mid(unknownFunction.size(), end - unknownFunction.size()));
        if (index < 0)
            return parsed;
        finishRunning(&parsed);
        start(index, &parsed);
        LineEvent event;
        event.kind = LineEvent::Finished;
        event.selector = m_selectors.at(index);
        event.result.status = Status::Failed;
        event.result.message = line;
        parsed.events.append(event);
        m_running = -1;
        return parsed;
    }

    QString function;
    QString rest;
    if (kind == Kind::Other || kind == Kind::Message || !parseSubject(subject, m_class, &function, &rest))
        return parsed;

    if (kind == Kind::Info) {
        if (!rest.startsWith(QLatin1Char(')')) || !rest.endsWith(enteringSuffix))
            return parsed;
        // Our -v1 adds these; without -v1 (as under ctest) Qt prints none.
        parsed.display = QByteArray();
        if (function == initTestCase || function == cleanupTestCase)
            return parsed; // the last case stays open through cleanupTestCase
        finishRunning(&parsed);
        const int index = nextRequest(function);
        if (index >= 0)
            start(index, &parsed);
        return parsed;
    }
    if (kind == Kind::Fatal) {
        // "Received signal 11" or a qFatal(): Qt aborts after it.
        m_crashed = true;
        return parsed;
    }

    Status status = Status::Passed;
    QString prefix;
    if (!rowStatus(kind, &status, &prefix))
        return parsed;
    if (function == initTestCase || function == cleanupTestCase) {
        QString globalTag;
        QString message;
        splitRow(rest, QString(), false, &globalTag, &message);
        if (status == Status::Passed)
            return parsed;
        Incident &fixture = function == initTestCase ? m_init : m_cleanup;
        fixture = Incident();
        fixture.status = status;
        m_budget = MessageBudget();
        appendLine(&fixture, prefix + message);
        if (function == initTestCase) {
            m_initPending = true;
            m_collect = Collect::Init;
        } else if (status == Status::Failed) {
            m_cleanupFailed = true;
            m_collect = Collect::Cleanup;
        }
        return parsed;
    }

    if (m_running < 0 || m_requests.at(m_running).function != function) {
        // No "entering" line for it (a Qt Test without -v1 support): the
        // result line itself starts the case.
        finishRunning(&parsed);
        const int index = nextRequest(function);
        if (index < 0)
            return parsed;
        start(index, &parsed);
    }
    const Request &request = m_requests.at(m_running);
    Incident incident;
    incident.status = status;
    QString message;
    splitRow(rest, request.tag, request.hasTag, &incident.globalTag, &message);
    m_incidents.append(incident);
    appendLine(&m_incidents.last(), prefix + message);
    m_collect = Collect::Case;
    return parsed;
}

QHash<QString, CaseResult> QTestOutputParser::structuredResults()
{
    QHash<QString, CaseResult> results;
    QFile file(QTestAdapter::resultsXmlPath(m_scratchDir));
    if (!file.open(QIODevice::ReadOnly))
        return results; // not written

    struct Function {
        QString name;
        QVector<Incident> incidents;
        QVector<QString> tags; // DataTag per incident
        double seconds = 0;
        bool fatal = false;
    };
    QVector<Function> functions; // complete <TestFunction> elements, in order
    std::optional<Function> current;

    // Qt writes the report as it goes: after a kill it ends in the middle,
    // and after an unknown tag a <TestFunction> is never closed. Only the
    // elements read completely count.
    QXmlStreamReader xml(&file);
    while (!xml.atEnd() && !xml.hasError()) {
        xml.readNext();
        if (xml.isStartElement()) {
            if (xml.name() == QLatin1String("TestFunction")) {
                current = Function();
                current->name = xml.attributes().value(QLatin1String("name")).toString();
            } else if (current && (xml.name() == QLatin1String("Incident") || xml.name() == QLatin1String("Message"))) {
                const QString type = xml.attributes().value(QLatin1String("type")).toString();
                const bool isIncident = xml.name() == QLatin1String("Incident");
                Incident incident;
                incident.file = xml.attributes().value(QLatin1String("file")).toString();
                incident.line = xml.attributes().value(QLatin1String("line")).toInt();
                if (incident.file == QLatin1String("Unknown file"))
                    incident.file.clear();
                QString tag;
                QString description;
                while (!xml.atEnd() && !xml.hasError()) {
                    xml.readNext();
                    if (xml.isEndElement()
                        && (xml.name() == QLatin1String("Incident") || xml.name() == QLatin1String("Message")))
                        break;
                    if (xml.isStartElement() && xml.name() == QLatin1String("DataTag"))
                        tag = xml.readElementText();
                    else if (xml.isStartElement() && xml.name() == QLatin1String("Description"))
                        description = xml.readElementText();
                }
                if (xml.hasError())
                    break;
                static const QHash<QString, Kind> incidentKinds {
                    {QStringLiteral("pass"), Kind::Pass},
                    {QStringLiteral("fail"), Kind::Fail},
                    {QStringLiteral("xfail"), Kind::XFail},
                    {QStringLiteral("xpass"), Kind::XPass},
                    {QStringLiteral("bpass"), Kind::BPass},
                    {QStringLiteral("bfail"), Kind::BFail},
                    {QStringLiteral("bxpass"), Kind::BXPass},
                    {QStringLiteral("bxfail"), Kind::BXFail},
                };
                Kind kind = Kind::Other;
                if (isIncident)
                    kind = incidentKinds.value(type, Kind::Other);
                else if (type == QLatin1String("skip"))
                    kind = Kind::Skip;
                else if (type == QLatin1String("qfatal"))
                    current->fatal = true;
                QString prefix;
                if (!rowStatus(kind, &incident.status, &prefix))
                    continue;
                incident.lines = QStringList {(prefix + description).left(defaults::FailureMessageChars)};
                current->incidents.append(incident);
                current->tags.append(tag);
            } else if (current && xml.name() == QLatin1String("Duration")) {
                current->seconds = xml.attributes().value(QLatin1String("msecs")).toDouble() / 1000.0;
            }
        } else if (xml.isEndElement() && xml.name() == QLatin1String("TestFunction") && current) {
            functions.append(*current);
            current.reset();
        }
    }

    // Each requested function ran as one <TestFunction>, in argument order.
    int cursor = 0;
    int last = -1;
    const Incident *initOutcome = nullptr;
    const Incident *cleanupFailure = nullptr;
    for (const Function &function : qAsConst(functions)) {
        if (function.name == initTestCase || function.name == cleanupTestCase) {
            for (const Incident &incident : function.incidents) {
                if (function.name == initTestCase && incident.status != Status::Passed && !initOutcome)
                    initOutcome = &incident;
                if (function.name == cleanupTestCase && incident.status == Status::Failed && !cleanupFailure)
                    cleanupFailure = &incident;
            }
            continue;
        }
        int index = -1;
        for (int i = cursor; i < m_requests.size(); ++i) {
            if (m_requests.at(i).unselectable.isEmpty() && m_requests.at(i).function == function.name) {
                index = i;
                break;
            }
        }
        if (index < 0)
            continue;
        cursor = index + 1;
        if (function.fatal)
            continue; // crashed: the worker's verdict stands
        const Request &request = m_requests.at(index);
        QVector<Incident> incidents = function.incidents;
        for (int i = 0; i < incidents.size(); ++i) {
            const QString &tag = function.tags.at(i);
            if (request.hasTag) {
                if (tag != request.tag && tag.endsWith(QLatin1Char(':') + request.tag))
                    incidents[i].globalTag = tag.left(tag.size() - request.tag.size() - 1);
            } else {
                incidents[i].globalTag = tag;
            }
        }
        CaseResult result;
        if (!aggregate(incidents, &result))
            continue;
        result.seconds = function.seconds;
        results.insert(m_selectors.at(index), result);
        last = index;
    }
    if (initOutcome) {
        for (int i = 0; i < m_requests.size(); ++i) {
            if (!m_requests.at(i).unselectable.isEmpty() || results.contains(m_selectors.at(i)))
                continue;
            CaseResult result;
            if (initOutcome->status == Status::Skipped) {
                result.status = Status::Skipped;
                result.message = joinedMessage(initOutcome->lines);
                result.file = initOutcome->file;
                result.line = initOutcome->line;
            } else {
                addFixtureFailure(&result, *initOutcome, initTestCase);
            }
            results.insert(m_selectors.at(i), result);
        }
    } else if (cleanupFailure && last >= 0) {
        addFixtureFailure(&results[m_selectors.at(last)], *cleanupFailure, cleanupTestCase);
    }
    return results;
}

} // namespace ctestd
