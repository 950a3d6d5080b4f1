// SPDX-License-Identifier: BSD-3-Clause
#include "runrecord.h"

#include <QCoreApplication>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSysInfo>

#include <charconv>
#include <cmath>

namespace ctestd {

namespace {

constexpr int FormatVersion = 1;
const QString LocalTimeFormat = QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz");

// Whether `bytes` are valid UTF-8 (no overlong forms, no surrogates, at
// most U+10FFFF): exactly the text a JSON string gives back unchanged.
bool isUtf8(const QByteArray &bytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.constData());
    const auto *end = p + bytes.size();
    while (p < end) {
        const unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        int extra = 0;
        unsigned int min = 0;
        unsigned int code = 0;
        if ((c & 0xE0) == 0xC0) {
            extra = 1;
            min = 0x80;
            code = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
            min = 0x800;
            code = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3;
            min = 0x10000;
            code = c & 0x07;
        } else {
            return false;
        }
        if (end - p <= extra)
            return false;
        for (int i = 1; i <= extra; ++i) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            code = (code << 6) | (p[i] & 0x3F);
        }
        if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
            return false;
        p += extra + 1;
    }
    return true;
}

// A JSON document written by hand, straight into one buffer.
class Writer {
public:
    QByteArray bytes;

    void raw(const char *text) { bytes += text; }
    void string(const QByteArray &utf8)
    {
        bytes += '"';
        const char *p = utf8.constData();
        const char *end = p + utf8.size();
        const char *run = p; // a run of bytes that need no escape
        for (; p < end; ++p) {
            const auto c = static_cast<unsigned char>(*p);
            if (c >= 0x20 && c != '"' && c != '\\')
                continue;
            bytes.append(run, int(p - run));
            run = p + 1;
            switch (c) {
            case '"':
                bytes += "\\\"";
                break;
            case '\\':
                bytes += "\\\\";
                break;
            case '\n':
                bytes += "\\n";
                break;
            case '\t':
                bytes += "\\t";
                break;
            case '\r':
                bytes += "\\r";
                break;
            default: {
                static const char hex[] = "0123456789abcdef";
                const char escaped[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                bytes.append(escaped, 6);
            }
            }
        }
        bytes.append(run, int(end - run));
        bytes += '"';
    }
    void string(const QString &text)
    {
        // Names and paths are mostly plain ASCII that needs no escape:
        // written straight into the buffer, without a UTF-8 copy first.
        const ushort *utf16 = text.utf16();
        const int size = int(text.size());
        for (int i = 0; i < size; ++i) {
            const ushort c = utf16[i];
            if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\')
                return string(text.toUtf8());
        }
        const int at = int(bytes.size());
        bytes.resize(at + size + 2);
        char *out = bytes.data() + at;
        *out++ = '"';
        for (int i = 0; i < size; ++i)
            *out++ = char(utf16[i]);
        *out = '"';
    }
    void key(const char *name)
    {
        separate();
        bytes += '"';
        bytes += name;
        bytes += "\":";
        m_first = true; // the value follows without a comma
        m_afterKey = true;
    }
    void value(const QString &text)
    {
        before();
        string(text);
    }
    void value(int number)
    {
        before();
        char buffer[16];
        const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
        bytes.append(buffer, int(result.ptr - buffer));
    }
    void value(double number)
    {
        before();
        if (!std::isfinite(number)) {
            bytes += '0';
            return;
        }
        // The shortest text that reads back as the same double, as
        // QByteArray::number(.., 'g', FloatingPointShortest) gives, without
        // its allocations: a run writes two numbers per case.
        char buffer[32];
        const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
        bytes.append(buffer, int(result.ptr - buffer));
    }
    void value(bool flag)
    {
        before();
        bytes += flag ? "true" : "false";
    }
    // A value written before, as it is.
    void rawValue(const QByteArray &json)
    {
        before();
        bytes += json;
    }
    void value(const QStringList &list)
    {
        before();
        bytes += '[';
        for (int i = 0; i < list.size(); ++i) {
            if (i > 0)
                bytes += ',';
            string(list.at(i));
        }
        bytes += ']';
    }
    // Text when the bytes are UTF-8, else base64 under "<name>Base64", so
    // that no byte is lost or replaced. Nothing for no bytes.
    void bytesField(const char *name, const QByteArray &data)
    {
        if (data.isEmpty())
            return;
        if (isUtf8(data)) {
            key(name);
            before();
            string(data);
        } else {
            key((QByteArray(name) + "Base64").constData());
            before();
            string(data.toBase64());
        }
    }
    void open(char bracket)
    {
        before();
        bytes += bracket;
        m_first = true;
    }
    void close(char bracket)
    {
        bytes += bracket;
        m_first = false;
    }

private:
    void separate()
    {
        if (!m_first)
            bytes += ',';
        m_first = false;
    }
    void before()
    {
        if (m_afterKey)
            m_afterKey = false;
        else
            separate();
        m_first = false;
    }
    bool m_first = true;
    bool m_afterKey = false;
};

QString isoUtc(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

void writeResult(Writer &w, const CaseResult &result)
{
    w.key("status");
    w.value(statusName(result.status));
    w.key("seconds");
    w.value(result.seconds);
    if (!result.message.isEmpty()) {
        w.key("message");
        w.value(result.message);
    }
    if (!result.reason.isEmpty()) {
        w.key("reason");
        w.value(result.reason);
    }
    if (!result.file.isEmpty()) {
        w.key("failureFile");
        w.value(result.file);
        w.key("failureLine");
        w.value(result.line);
    }
    if (result.signal != 0) {
        w.key("signal");
        w.value(result.signal);
    }
    if (result.exitCode) {
        w.key("exitCode");
        w.value(*result.exitCode);
    }
    w.bytesField("noticeStdout", result.noticeOut);
    w.bytesField("noticeStderr", result.noticeErr);
    w.bytesField("stdout", result.stdOut);
    w.bytesField("stderr", result.stdErr);
}

void writeCase(Writer &w, const CaseOutcome &outcome, const QVector<CaseResult> &again)
{
    const TestCase &t = outcome.testCase;
    w.open('{');
    w.key("number");
    w.value(t.index);
    w.key("name");
    w.value(t.displayName);
    writeResult(w, outcome.result);
    w.key("ran");
    w.value(outcome.dispatched);
    const auto text = [&w](const char *name, const QString &value) {
        if (!value.isEmpty()) {
            w.key(name);
            w.value(value);
        }
    };
    const auto list = [&w](const char *name, const QStringList &value) {
        if (!value.isEmpty()) {
            w.key(name);
            w.value(value);
        }
    };
    text("executable", t.executable);
    text("framework", t.framework);
    text("suite", t.suite);
    text("caseName", t.name);
    text("selector", t.selector);
    text("group", t.group.name);
    list("labels", t.labels);
    if (!t.file.isEmpty()) {
        w.key("file");
        w.value(t.file);
        w.key("line");
        w.value(t.line);
    }
    if (t.disabled) {
        w.key("disabled");
        w.value(true);
    }
    list("arguments", t.arguments);
    text("workingDirectory", t.workingDirectory);
    list("environment", t.environment);
    if (t.timeoutSeconds >= 0) {
        w.key("timeout");
        w.value(t.timeoutSeconds);
    }
    if (t.ctestTest) {
        w.key("ctestTest");
        w.value(true);
    }
    list("command", t.command);
    if (t.needsConfiguration) {
        w.key("needsConfiguration");
        w.value(true);
    }
    if (t.processors != 1) {
        w.key("processors");
        w.value(t.processors);
    }
    if (t.cost != 0) {
        w.key("cost");
        w.value(t.cost);
    }
    if (t.failedLastTime) {
        w.key("failedLastTime");
        w.value(true);
    }
    if (!t.rules.isEmpty()) {
        w.key("rules");
        w.open('{');
        list("passRegex", t.rules.passRegex);
        list("failRegex", t.rules.failRegex);
        list("skipRegex", t.rules.skipRegex);
        if (t.rules.skipReturnCode >= 0) {
            w.key("skipReturnCode");
            w.value(t.rules.skipReturnCode);
        }
        if (t.rules.willFail) {
            w.key("willFail");
            w.value(true);
        }
        w.close('}');
    }
    if (!again.isEmpty()) {
        w.key("earlierAttempts");
        w.open('[');
        for (const CaseResult &attempt : again) {
            w.open('{');
            writeResult(w, attempt);
            w.close('}');
        }
        w.close(']');
    }
    w.close('}');
}

// An event as its JSON string ("s12", "g3.0"), appended without a copy:
// a run has three per case.
void appendEvent(QByteArray *out, const RunRecord::Event &event)
{
    const auto number = [out](int value) {
        char digits[16];
        out->append(digits, int(std::to_chars(digits, digits + sizeof digits, value).ptr - digits));
    };
    out->append('"');
    out->append(char(event.kind));
    if (event.kind != RunRecord::Event::RunStarted && event.kind != RunRecord::Event::RunFinished) {
        number(event.number);
        if (event.kind == RunRecord::Event::Again) {
            out->append('.');
            number(event.attempt);
        }
    }
    out->append('"');
}

// Reading: each getter checks the type, so a document that is JSON but
// not ours fails with the field's name instead of reading as zeros.
class Reader {
public:
    QString error;

    bool ok() const { return error.isEmpty(); }
    QString text(const QJsonObject &object, const char *name, const QString &fallback = {})
    {
        const QJsonValue value = object.value(QLatin1String(name));
        if (value.isUndefined())
            return fallback;
        if (!value.isString())
            fail(name, "a string");
        return value.toString();
    }
    double number(const QJsonObject &object, const char *name, double fallback = 0)
    {
        const QJsonValue value = object.value(QLatin1String(name));
        if (value.isUndefined())
            return fallback;
        if (!value.isDouble())
            fail(name, "a number");
        return value.toDouble();
    }
    int integer(const QJsonObject &object, const char *name, int fallback = 0)
    {
        const double value = number(object, name, fallback);
        if (!(value >= -2147483648.0 && value <= 2147483647.0) || value != std::floor(value)) {
            fail(name, "an integer");
            return fallback;
        }
        return int(value);
    }
    bool flag(const QJsonObject &object, const char *name)
    {
        const QJsonValue value = object.value(QLatin1String(name));
        if (value.isUndefined())
            return false;
        if (!value.isBool())
            fail(name, "true or false");
        return value.toBool();
    }
    QStringList list(const QJsonObject &object, const char *name)
    {
        const QJsonValue value = object.value(QLatin1String(name));
        QStringList strings;
        if (value.isUndefined())
            return strings;
        if (!value.isArray()) {
            fail(name, "a list of strings");
            return strings;
        }
        const QJsonArray array = value.toArray();
        for (const QJsonValue &item : array) {
            if (!item.isString())
                fail(name, "a list of strings");
            strings.append(item.toString());
        }
        return strings;
    }
    QByteArray bytes(const QJsonObject &object, const char *name)
    {
        const QString base64Name = QLatin1String(name) + QLatin1String("Base64");
        if (object.contains(base64Name)) {
            const QJsonValue value = object.value(base64Name);
            if (!value.isString())
                fail(name, "base64 text");
            const auto decoded
                = QByteArray::fromBase64Encoding(value.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded)
                fail(name, "base64 text");
            return decoded.decoded;
        }
        return text(object, name).toUtf8();
    }
    QJsonObject object(const QJsonObject &parent, const char *name)
    {
        const QJsonValue value = parent.value(QLatin1String(name));
        if (!value.isUndefined() && !value.isObject())
            fail(name, "an object");
        return value.toObject();
    }
    QJsonArray array(const QJsonObject &parent, const char *name)
    {
        const QJsonValue value = parent.value(QLatin1String(name));
        if (!value.isUndefined() && !value.isArray())
            fail(name, "a list");
        return value.toArray();
    }
    void fail(const char *name, const char *what)
    {
        if (error.isEmpty())
            error = QStringLiteral("the field \"%1\" is not %2").arg(QLatin1String(name), QLatin1String(what));
    }
    void fail(const QString &message)
    {
        if (error.isEmpty())
            error = message;
    }
};

CaseResult readResult(Reader &r, const QJsonObject &o)
{
    CaseResult result;
    if (!statusFromName(r.text(o, "status"), &result.status))
        r.fail(QStringLiteral("unknown status \"%1\"").arg(r.text(o, "status")));
    result.seconds = r.number(o, "seconds");
    result.message = r.text(o, "message");
    result.reason = r.text(o, "reason");
    result.file = r.text(o, "failureFile");
    result.line = r.integer(o, "failureLine");
    result.signal = r.integer(o, "signal");
    if (o.contains(QLatin1String("exitCode")))
        result.exitCode = r.integer(o, "exitCode");
    result.noticeOut = r.bytes(o, "noticeStdout");
    result.noticeErr = r.bytes(o, "noticeStderr");
    result.stdOut = r.bytes(o, "stdout");
    result.stdErr = r.bytes(o, "stderr");
    return result;
}

bool parseEvent(const QString &token, RunRecord::Event *event)
{
    if (token.isEmpty())
        return false;
    const char kind = token.at(0).toLatin1();
    switch (kind) {
    case RunRecord::Event::RunStarted:
    case RunRecord::Event::RunFinished:
        event->kind = RunRecord::Event::Kind(kind);
        return token.size() == 1;
    case RunRecord::Event::CaseStarted:
    case RunRecord::Event::Attempt:
    case RunRecord::Event::CaseFinished:
    case RunRecord::Event::Again:
        break;
    default:
        return false;
    }
    event->kind = RunRecord::Event::Kind(kind);
    const QStringRef rest = token.midRef(1);
    bool ok = false;
    if (kind == RunRecord::Event::Again) {
        const int dot = rest.indexOf(QLatin1Char('.'));
        if (dot < 0)
            return false;
        event->number = rest.left(dot).toInt(&ok);
        if (!ok)
            return false;
        event->attempt = rest.mid(dot + 1).toInt(&ok);
        return ok && event->attempt >= 0;
    }
    event->number = rest.toInt(&ok);
    return ok;
}

} // namespace

QByteArray runRecordJson(const RunRecord &record)
{
    Writer w;
    w.bytes.reserve(256 + 512 * record.end.cases.size());
    const RunStart &start = record.start;
    const RunEnd &end = record.end;
    w.open('{');
    w.key("format");
    w.value(QStringLiteral("ctestd-run"));
    w.key("version");
    w.value(FormatVersion);
    w.key("ctestdVersion");
    w.value(record.ctestdVersion);
    w.key("host");
    w.value(record.host);
    w.key("commandLine");
    w.value(record.commandLine);
    w.key("project");
    w.value(start.projectDirectory);
    w.key("buildTree");
    w.value(start.buildTree);
    if (!start.junitSuiteName.isEmpty()) {
        w.key("junitSuiteName");
        w.value(start.junitSuiteName);
    }
    w.bytesField("preamble", start.preamble);
    w.key("defaultTimeout");
    w.value(start.defaultTimeout);
    const QDateTime finished = record.finishedUtc;
    w.key("started");
    w.value(isoUtc(start.started.isValid() ? start.started : finished));
    w.key("finished");
    w.value(isoUtc(finished));
    if (end.finished.isValid()) {
        w.key("finishedLocal");
        w.value(end.finished.toString(LocalTimeFormat));
    }
    w.key("seconds");
    w.value(end.wallSeconds);
    w.key("exitCode");
    w.value(end.interruptSignal != 0 ? 128 + end.interruptSignal : record.exitCode);
    w.key("interruptedBy");
    w.value(end.interruptSignal);
    if (start.shard) {
        w.key("shard");
        w.open('{');
        w.key("index");
        w.value(start.shard->index + 1);
        w.key("count");
        w.value(start.shard->count);
        w.key("digest");
        w.value(start.shard->digest);
        w.key("cases");
        w.value(start.shard->allCases);
        w.close('}');
    }
    const ConsoleOptions &console = record.console;
    w.key("console");
    w.open('{');
    w.key("outputOnFailure");
    w.value(console.outputOnFailure);
    w.key("verbose");
    w.value(console.verbose);
    w.key("listPassed");
    w.value(console.listPassed);
    w.key("labelSummary");
    w.value(console.labelSummary);
    w.key("nameWidth");
    w.value(console.nameWidth);
    w.key("durations");
    w.value(console.durations);
    w.close('}');

    w.key("cases");
    w.open('[');
    for (int i = 0; i < end.cases.size(); ++i) {
        const CaseOutcome &outcome = end.cases[i];
        if (outcome.leftOut)
            continue;
        const auto prepared = record.preparedCases.constFind(outcome.testCase.index);
        if (prepared != record.preparedCases.cend())
            w.rawValue(*prepared);
        else
            writeCase(w, outcome, record.attempts.value(i));
    }
    w.close(']');

    w.key("processes");
    w.open('[');
    for (const ProcessRecord &process : end.processes) {
        w.open('{');
        w.key("executable");
        w.value(process.executable);
        w.key("group");
        w.value(process.group);
        w.key("cases");
        w.open('[');
        for (int position : process.cases)
            w.value(end.cases.value(position).testCase.index);
        w.close(']');
        w.key("seconds");
        w.value(process.seconds);
        w.key("caseSeconds");
        w.value(process.caseSeconds);
        w.key("fixtureSeconds");
        w.value(process.fixtureSeconds());
        if (!process.artifacts.isEmpty()) {
            w.key("artifacts");
            w.value(process.artifacts);
        }
        if (!process.output.isEmpty()) {
            w.key("output");
            w.value(process.output);
        }
        w.close('}');
    }
    w.close(']');

    if (record.hasEvents) {
        w.key("events");
        w.open('[');
        for (int i = 0; i < record.events.size(); ++i) {
            if (i > 0)
                w.bytes += ',';
            appendEvent(&w.bytes, record.events[i]);
        }
        w.close(']');
    }
    if (!record.notes.isEmpty()) {
        w.key("notes");
        w.open('[');
        for (const RunRecord::Note &note : record.notes) {
            w.open('{');
            w.key("stream");
            w.value(note.toStderr ? QStringLiteral("stderr") : QStringLiteral("stdout"));
            w.key("before");
            w.value(note.beforeEvent);
            w.bytesField("text", note.text);
            w.close('}');
        }
        w.close(']');
    }
    w.close('}');
    return w.bytes;
}

bool parseRunRecord(const QByteArray &json, RunRecord *record, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        *error = parseError.error != QJsonParseError::NoError
            ? QStringLiteral("not JSON (%1 at byte %2)").arg(parseError.errorString()).arg(parseError.offset)
            : QStringLiteral("not a ctestd run record");
        return false;
    }
    const QJsonObject root = document.object();
    if (root.value(QLatin1String("format")).toString() != QLatin1String("ctestd-run")) {
        *error = QStringLiteral("not a ctestd run record (no \"format\": \"ctestd-run\")");
        return false;
    }
    Reader r;
    const int version = r.integer(root, "version");
    if (r.ok() && version != FormatVersion) {
        *error
            = QStringLiteral("run record version %1, but this ctestd reads version %2").arg(version).arg(FormatVersion);
        return false;
    }
    RunRecord rec;
    rec.ctestdVersion = r.text(root, "ctestdVersion");
    rec.host = r.text(root, "host");
    rec.commandLine = r.list(root, "commandLine");
    rec.start.projectDirectory = r.text(root, "project");
    rec.start.buildTree = r.flag(root, "buildTree");
    rec.start.junitSuiteName = r.text(root, "junitSuiteName");
    rec.start.preamble = r.bytes(root, "preamble");
    rec.start.defaultTimeout = r.number(root, "defaultTimeout");
    rec.start.started = QDateTime::fromString(r.text(root, "started"), Qt::ISODateWithMs);
    rec.finishedUtc = QDateTime::fromString(r.text(root, "finished"), Qt::ISODateWithMs);
    const QString finishedLocal = r.text(root, "finishedLocal");
    if (!finishedLocal.isEmpty())
        rec.end.finished = QDateTime::fromString(finishedLocal, LocalTimeFormat);
    rec.end.wallSeconds = r.number(root, "seconds");
    rec.exitCode = r.integer(root, "exitCode");
    rec.end.interruptSignal = r.integer(root, "interruptedBy");
    if (root.contains(QLatin1String("shard"))) {
        const QJsonObject shard = r.object(root, "shard");
        ShardStamp stamp;
        stamp.index = r.integer(shard, "index") - 1;
        stamp.count = r.integer(shard, "count");
        stamp.digest = r.text(shard, "digest");
        stamp.allCases = r.integer(shard, "cases");
        if (stamp.count < 1 || stamp.index < 0 || stamp.index >= stamp.count)
            r.fail(QStringLiteral("shard %1/%2 does not exist").arg(stamp.index + 1).arg(stamp.count));
        rec.start.shard = stamp;
    }
    const QJsonObject console = r.object(root, "console");
    rec.console.outputOnFailure = r.flag(console, "outputOnFailure");
    rec.console.verbose = r.flag(console, "verbose");
    rec.console.listPassed = r.flag(console, "listPassed");
    rec.console.labelSummary = console.contains(QLatin1String("labelSummary")) ? r.flag(console, "labelSummary") : true;
    rec.console.nameWidth = r.integer(console, "nameWidth", 30);
    rec.console.durations = r.integer(console, "durations", -1);

    const QJsonArray cases = r.array(root, "cases");
    QHash<int, int> positionOf; // #K -> position
    rec.end.cases.reserve(cases.size());
    rec.attempts.resize(cases.size());
    for (const QJsonValue &value : cases) {
        if (!value.isObject()) {
            r.fail("cases", "a list of objects");
            break;
        }
        const QJsonObject o = value.toObject();
        CaseOutcome outcome;
        TestCase &t = outcome.testCase;
        t.index = r.integer(o, "number");
        t.displayName = r.text(o, "name");
        t.executable = r.text(o, "executable");
        t.framework = r.text(o, "framework");
        t.suite = r.text(o, "suite");
        t.name = r.text(o, "caseName");
        t.selector = r.text(o, "selector");
        t.group.name = r.text(o, "group");
        t.labels = r.list(o, "labels");
        t.file = r.text(o, "file");
        t.line = r.integer(o, "line");
        t.disabled = r.flag(o, "disabled");
        t.arguments = r.list(o, "arguments");
        t.workingDirectory = r.text(o, "workingDirectory");
        t.environment = r.list(o, "environment");
        t.timeoutSeconds = r.number(o, "timeout", -1);
        t.ctestTest = r.flag(o, "ctestTest");
        t.command = r.list(o, "command");
        t.needsConfiguration = r.flag(o, "needsConfiguration");
        t.processors = r.integer(o, "processors", 1);
        t.cost = r.number(o, "cost");
        t.failedLastTime = r.flag(o, "failedLastTime");
        const QJsonObject rules = r.object(o, "rules");
        t.rules.passRegex = r.list(rules, "passRegex");
        t.rules.failRegex = r.list(rules, "failRegex");
        t.rules.skipRegex = r.list(rules, "skipRegex");
        t.rules.skipReturnCode = r.integer(rules, "skipReturnCode", -1);
        t.rules.willFail = r.flag(rules, "willFail");
        outcome.result = readResult(r, o);
        outcome.dispatched = r.flag(o, "ran");
        const QJsonArray earlier = r.array(o, "earlierAttempts");
        const int position = int(rec.end.cases.size());
        for (const QJsonValue &attempt : earlier)
            rec.attempts[position].append(readResult(r, attempt.toObject()));
        if (positionOf.contains(t.index))
            r.fail(QStringLiteral("test #%1 is listed twice").arg(t.index));
        positionOf.insert(t.index, position);
        rec.end.cases.append(outcome);
        if (!r.ok())
            break;
    }
    for (const CaseOutcome &outcome : qAsConst(rec.end.cases))
        rec.start.cases.append(outcome.testCase);

    const QJsonArray processes = r.array(root, "processes");
    for (const QJsonValue &value : processes) {
        const QJsonObject o = value.toObject();
        ProcessRecord process;
        process.executable = r.text(o, "executable");
        process.group = r.text(o, "group");
        process.seconds = r.number(o, "seconds");
        process.caseSeconds = r.number(o, "caseSeconds");
        process.artifacts = r.text(o, "artifacts");
        process.output = r.text(o, "output");
        const QJsonArray numbers = r.array(o, "cases");
        for (const QJsonValue &number : numbers) {
            const int position = positionOf.value(number.toInt(), -1);
            if (position < 0)
                r.fail(QStringLiteral("a process names test #%1, which the record does not have").arg(number.toInt()));
            else
                process.cases.append(position);
        }
        rec.end.processes.append(process);
    }

    rec.hasEvents = root.contains(QLatin1String("events"));
    const QJsonArray events = r.array(root, "events");
    for (const QJsonValue &value : events) {
        RunRecord::Event event;
        if (!parseEvent(value.toString(), &event)) {
            r.fail(QStringLiteral("the event \"%1\" is not one of ctestd's").arg(value.toString()));
            break;
        }
        const bool caseEvent
            = event.kind != RunRecord::Event::RunStarted && event.kind != RunRecord::Event::RunFinished;
        const int position = positionOf.value(event.number, -1);
        if (caseEvent && position < 0) {
            r.fail(QStringLiteral("an event names test #%1, which the record does not have").arg(event.number));
            break;
        }
        if (event.kind == RunRecord::Event::Again && event.attempt >= rec.attempts[position].size()) {
            r.fail(QStringLiteral("an event names attempt %1 of test #%2, which the record does not have")
                       .arg(event.attempt)
                       .arg(event.number));
            break;
        }
        rec.events.append(event);
    }
    const QJsonArray notes = r.array(root, "notes");
    for (const QJsonValue &value : notes) {
        const QJsonObject o = value.toObject();
        RunRecord::Note note;
        note.toStderr = r.text(o, "stream") == QLatin1String("stderr");
        note.beforeEvent = r.integer(o, "before");
        note.text = r.bytes(o, "text");
        rec.notes.append(note);
    }
    if (!r.ok()) {
        *error = r.error;
        return false;
    }
    *record = rec;
    return true;
}

int replayRunRecord(const RunRecord &record, RunListener &listener, QIODevice *out, QIODevice *err)
{
    QVector<RunRecord::Event> events = record.events;
    if (!record.hasEvents) {
        // An older document: the cases in #K order, each started and ended.
        events.append({RunRecord::Event::RunStarted, 0, 0});
        for (int i = 0; i < record.end.cases.size(); ++i) {
            const CaseOutcome &outcome = record.end.cases[i];
            const int number = outcome.testCase.index;
            if (outcome.dispatched) {
                events.append({RunRecord::Event::CaseStarted, number, 0});
                for (int a = 0; a < record.attempts.value(i).size(); ++a)
                    events.append({RunRecord::Event::Again, number, a});
                events.append({RunRecord::Event::Attempt, number, 0});
            }
            events.append({RunRecord::Event::CaseFinished, number, 0});
        }
        events.append({RunRecord::Event::RunFinished, 0, 0});
    }
    QHash<int, int> positionOf;
    for (int i = 0; i < record.end.cases.size(); ++i)
        positionOf.insert(record.end.cases[i].testCase.index, i);
    int note = 0;
    const auto writeNotes = [&](int before) {
        for (; note < record.notes.size() && record.notes[note].beforeEvent <= before; ++note) {
            QIODevice *device = record.notes[note].toStderr ? err : out;
            if (device)
                device->write(record.notes[note].text);
        }
    };
    int exitCode = record.exitCode;
    for (int i = 0; i < events.size(); ++i) {
        writeNotes(i);
        const RunRecord::Event &event = events[i];
        const CaseOutcome *outcome = nullptr;
        if (positionOf.contains(event.number))
            outcome = &record.end.cases[positionOf.value(event.number)];
        switch (event.kind) {
        case RunRecord::Event::RunStarted:
            listener.runStarted(record.start);
            break;
        case RunRecord::Event::CaseStarted:
            if (outcome)
                listener.caseStarted(outcome->testCase);
            break;
        case RunRecord::Event::Again:
            if (outcome) {
                const QVector<CaseResult> attempts = record.attempts.value(positionOf.value(event.number));
                listener.attemptFinished(outcome->testCase, attempts.value(event.attempt), true);
            }
            break;
        case RunRecord::Event::Attempt:
            if (outcome)
                listener.attemptFinished(outcome->testCase, outcome->result, false);
            break;
        case RunRecord::Event::CaseFinished:
            if (outcome)
                listener.caseFinished(outcome->testCase, outcome->result);
            break;
        case RunRecord::Event::RunFinished:
            exitCode = listener.runFinished(record.end, record.exitCode);
            break;
        }
    }
    writeNotes(int(events.size()));
    return exitCode;
}

RunRecorder::RunRecorder(RunListener *inner)
    : m_inner(inner)
{
    m_record.hasEvents = true;
    m_record.ctestdVersion = QCoreApplication::applicationVersion();
    m_record.host = QSysInfo::machineHostName();
}

void RunRecorder::note(bool toStderr, const QByteArray &text)
{
    if (text.isEmpty())
        return;
    const int before = int(m_record.events.size());
    if (!m_record.notes.isEmpty()) {
        RunRecord::Note &last = m_record.notes.last();
        if (last.toStderr == toStderr && last.beforeEvent == before) {
            last.text += text;
            return;
        }
    }
    m_record.notes.append({toStderr, before, text});
}

void RunRecorder::add(RunRecord::Event::Kind kind, int number, int attempt)
{
    m_record.events.append({kind, number, attempt});
}

bool RunRecorder::ready(const RunStart &run, QString *error)
{
    return m_inner ? m_inner->ready(run, error) : true;
}

void RunRecorder::runStarted(const RunStart &run)
{
    m_record.start = run;
    add(RunRecord::Event::RunStarted, 0);
    if (m_inner)
        m_inner->runStarted(run);
}

void RunRecorder::caseStarted(const TestCase &testCase)
{
    add(RunRecord::Event::CaseStarted, testCase.index);
    if (m_inner)
        m_inner->caseStarted(testCase);
}

void RunRecorder::attemptFinished(const TestCase &testCase, const CaseResult &result, bool again)
{
    m_ran.insert(testCase.index);
    if (again) {
        QVector<CaseResult> &attempts = m_again[testCase.index];
        add(RunRecord::Event::Again, testCase.index, int(attempts.size()));
        attempts.append(result);
    } else {
        add(RunRecord::Event::Attempt, testCase.index);
    }
    if (m_inner)
        m_inner->attemptFinished(testCase, result, again);
}

bool RunRecorder::prepareSome()
{
    // A slice small enough not to delay a worker's next unit noticeably.
    const int end = qMin(int(m_finished.size()), m_prepared + 64);
    for (; m_prepared < end; ++m_prepared) {
        const Finished &finished = m_finished[m_prepared];
        const int number = finished.testCase.index;
        Writer w;
        // One allocation for the element: growing it field by field costs
        // more than writing it.
        w.bytes.reserve(
            1024 + finished.result.stdOut.size() + finished.result.stdErr.size() + 2 * finished.result.message.size());
        writeCase(
            w, CaseOutcome {finished.testCase, finished.result, m_ran.contains(number), false}, m_again.value(number));
        m_record.preparedCases.insert(number, w.bytes);
    }
    return m_prepared < m_finished.size();
}

void RunRecorder::caseFinished(const TestCase &testCase, const CaseResult &result)
{
    add(RunRecord::Event::CaseFinished, testCase.index);
    m_finished.append({testCase, result});
    m_idle.schedule();
    if (m_inner)
        m_inner->caseFinished(testCase, result);
}

RunRecord RunRecorder::recordFor(const RunEnd &end, int exitCode, const QDateTime &finishedUtc) const
{
    RunRecord record = m_record;
    record.end = end;
    record.exitCode = exitCode;
    record.finishedUtc = finishedUtc;
    record.attempts.resize(end.cases.size());
    for (int i = 0; i < end.cases.size(); ++i)
        record.attempts[i] = m_again.value(end.cases[i].testCase.index);
    return record;
}

int RunRecorder::runFinished(const RunEnd &end, int exitCode)
{
    add(RunRecord::Event::RunFinished, 0);
    m_idle.finish();
    m_record = recordFor(end, exitCode, QDateTime::currentDateTimeUtc());
    return m_inner ? m_inner->runFinished(end, exitCode) : exitCode;
}

} // namespace ctestd
