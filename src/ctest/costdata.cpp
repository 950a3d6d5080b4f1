// SPDX-License-Identifier: BSD-3-Clause
#include "costdata.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSaveFile>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>

namespace ctestd::ctest {

namespace {

bool isCSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// atoi() as glibc does it: (int)strtol(s, 0, 10), saturating at the range
// of long and then truncating to int.
int cAtoi(const QByteArray &s)
{
    int i = 0;
    while (i < s.size() && isCSpace(s.at(i)))
        ++i;
    bool negative = false;
    if (i < s.size() && (s.at(i) == '+' || s.at(i) == '-')) {
        negative = s.at(i) == '-';
        ++i;
    }
    // Accumulate as a negative number so LONG_MIN fits.
    long value = 0;
    bool overflow = false;
    for (; i < s.size() && isDigit(s.at(i)); ++i) {
        const int digit = s.at(i) - '0';
        if (value < (LONG_MIN + digit) / 10) {
            overflow = true;
            continue;
        }
        value = value * 10 - digit;
    }
    if (overflow)
        value = negative ? LONG_MIN : LONG_MAX;
    else if (!negative)
        value = value == LONG_MIN ? LONG_MAX : -value;
    return static_cast<int>(static_cast<std::int32_t>(static_cast<std::uint32_t>(static_cast<unsigned long>(value))));
}

// atof() for the decimal forms ctest writes ("%g"): the longest prefix that
// is a decimal floating-point number, 0 if there is none. (strtod's hex,
// "inf" and "nan" forms are not recognised.)
double cAtof(const QByteArray &s)
{
    int i = 0;
    while (i < s.size() && isCSpace(s.at(i)))
        ++i;
    const int start = i;
    if (i < s.size() && (s.at(i) == '+' || s.at(i) == '-'))
        ++i;
    int digits = 0;
    while (i < s.size() && isDigit(s.at(i))) {
        ++i;
        ++digits;
    }
    if (i < s.size() && s.at(i) == '.') {
        ++i;
        while (i < s.size() && isDigit(s.at(i))) {
            ++i;
            ++digits;
        }
    }
    if (digits == 0)
        return 0.0;
    const int mantissaEnd = i;
    int end = i;
    if (i < s.size() && (s.at(i) == 'e' || s.at(i) == 'E')) {
        int j = i + 1;
        if (j < s.size() && (s.at(j) == '+' || s.at(j) == '-'))
            ++j;
        if (j < s.size() && isDigit(s.at(j))) {
            while (j < s.size() && isDigit(s.at(j)))
                ++j;
            end = j;
        }
    }
    bool ok = false;
    const double value = s.mid(start, end - start).toDouble(&ok);
    if (ok)
        return value;
    // Out of range: strtod gives +-HUGE_VAL on overflow and 0 on underflow.
    const double mantissa = s.mid(start, mantissaEnd - start).toDouble();
    const bool negativeExponent = end > mantissaEnd + 1 && s.at(mantissaEnd + 1) == '-';
    if (negativeExponent || mantissa == 0.0)
        return mantissa < 0 ? -0.0 : 0.0;
    return mantissa < 0 ? -HUGE_VAL : HUGE_VAL;
}

// kwsys SystemTools::SplitString(s, ' '): the first field ends at the first
// space, every later one at the next space after its first character.
QVector<QByteArray> splitFields(const QByteArray &s)
{
    QVector<QByteArray> fields;
    if (s.isEmpty())
        return fields;
    int pos1 = 0;
    int pos2 = s.indexOf(' ', 0);
    while (pos2 >= 0) {
        fields.append(s.mid(pos1, pos2 - pos1));
        pos1 = pos2 + 1;
        pos2 = pos1 + 1 <= s.size() ? s.indexOf(' ', pos1 + 1) : -1;
    }
    fields.append(s.mid(pos1));
    return fields;
}

// std::getline: lines end at '\n'; a last line without it still counts.
QVector<QByteArray> splitLines(const QByteArray &bytes)
{
    QVector<QByteArray> lines;
    int first = 0;
    while (first < bytes.size()) {
        const int nl = bytes.indexOf('\n', first);
        if (nl < 0) {
            lines.append(bytes.mid(first));
            break;
        }
        lines.append(bytes.mid(first, nl - first));
        first = nl + 1;
    }
    return lines;
}

bool readWholeFile(const QString &path, QByteArray *bytes, QString *error)
{
    QFile file(path);
    if (!file.exists()) {
        bytes->clear();
        return true;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    *bytes = file.readAll();
    return true;
}

bool writeWholeFile(const QString &path, const QByteArray &bytes, QString *error)
{
    const QString dir = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(dir)) {
        if (error)
            *error = QStringLiteral("cannot create directory %1").arg(dir);
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace

QByteArray formatCost(float cost)
{
    return QByteArray::number(double(cost), 'g', 6);
}

CostData parseCostData(const QByteArray &bytes)
{
    CostData data;
    const QVector<QByteArray> lines = splitLines(bytes);
    int i = 0;
    bool sawSeparator = false;
    for (; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        if (line == "---") {
            sawSeparator = true;
            ++i;
            break;
        }
        const QVector<QByteArray> fields = splitFields(line);
        if (fields.size() < 3)
            return data; // ctest stops here ("probably an older version of the file")
        CostEntry entry;
        entry.name = QString::fromUtf8(fields.at(0));
        entry.runs = cAtoi(fields.at(1));
        entry.cost = static_cast<float>(cAtof(fields.at(2)));
        data.entries.append(entry);
    }
    if (sawSeparator) {
        for (; i < lines.size(); ++i) {
            if (!lines.at(i).isEmpty())
                data.failed.append(QString::fromUtf8(lines.at(i)));
        }
    }
    return data;
}

QByteArray serializeCostData(const CostData &data)
{
    QByteArray out;
    for (const CostEntry &entry : data.entries) {
        out += entry.name.toUtf8();
        out += ' ';
        out += QByteArray::number(entry.runs);
        out += ' ';
        out += formatCost(entry.cost);
        out += '\n';
    }
    out += "---\n";
    for (const QString &name : data.failed) {
        out += name.toUtf8();
        out += '\n';
    }
    return out;
}

bool readCostData(const QString &path, CostData *data, QString *error)
{
    QByteArray bytes;
    if (!readWholeFile(path, &bytes, error))
        return false;
    *data = parseCostData(bytes);
    return true;
}

bool writeCostData(const QString &path, const CostData &data, QString *error)
{
    return writeWholeFile(path, serializeCostData(data), error);
}

CostData updated(const CostData &previous, const QVector<RunRecord> &thisRun, bool parallel)
{
    struct TestState {
        int index = 0;
        QString name;
        int runs = 0;
        float cost = 0.0f;
        int lastRecord = -1;
        Status lastStatus = Status::Passed;
        bool written = false;
    };
    QVector<TestState> tests;
    QHash<QString, int> byName;
    for (const RunRecord &record : thisRun) {
        if (byName.contains(record.name))
            continue;
        TestState state;
        state.index = record.index;
        state.name = record.name;
        state.cost = record.costProperty;
        byName.insert(record.name, tests.size());
        tests.append(state);
    }

    // ReadCostData(), before the run.
    for (const CostEntry &entry : previous.entries) {
        const auto it = byName.constFind(entry.name);
        if (it == byName.constEnd())
            continue;
        TestState &state = tests[*it];
        state.runs = entry.runs;
        if (parallel && state.cost == 0.0f)
            state.cost = entry.cost;
    }

    // ComputeWeightedCost(), after each run.
    for (int i = 0; i < thisRun.size(); ++i) {
        const RunRecord &record = thisRun.at(i);
        TestState &state = tests[byName.value(record.name)];
        if (record.status == Status::Passed) {
            const double runs = static_cast<double>(state.runs);
            state.cost = static_cast<float>((runs * static_cast<double>(state.cost) + record.seconds) / (runs + 1.0));
            ++state.runs;
        }
        state.lastRecord = i;
        state.lastStatus = record.status;
    }

    // UpdateCostData(), at the end.
    CostData next;
    for (const CostEntry &entry : previous.entries) {
        const auto it = byName.constFind(entry.name);
        if (it == byName.constEnd()) {
            next.entries.append(entry);
            continue;
        }
        TestState &state = tests[*it];
        next.entries.append(CostEntry {state.name, state.runs, state.cost});
        state.written = true;
    }
    QVector<const TestState *> remaining;
    for (const TestState &state : tests) {
        if (!state.written)
            remaining.append(&state);
    }
    std::stable_sort(
        remaining.begin(), remaining.end(), [](const TestState *a, const TestState *b) { return a->index < b->index; });
    for (const TestState *state : remaining)
        next.entries.append(CostEntry {state->name, state->runs, state->cost});

    QVector<const TestState *> failed;
    for (const TestState &state : tests) {
        if (isFailure(state.lastStatus))
            failed.append(&state);
    }
    std::stable_sort(failed.begin(), failed.end(),
        [](const TestState *a, const TestState *b) { return a->lastRecord < b->lastRecord; });
    for (const TestState *state : failed)
        next.failed.append(state->name);
    return next;
}

QVector<FailedTest> parseLastTestsFailed(const QByteArray &bytes)
{
    QVector<FailedTest> failed;
    for (QByteArray line : splitLines(bytes)) {
        if (line.endsWith('\r'))
            line.chop(1);
        const int colon = line.indexOf(':');
        if (colon < 0)
            continue;
        failed.append(FailedTest {cAtoi(line.left(colon)), QString::fromUtf8(line.mid(colon + 1))});
    }
    return failed;
}

QByteArray serializeLastTestsFailed(QVector<FailedTest> failed)
{
    std::stable_sort(
        failed.begin(), failed.end(), [](const FailedTest &a, const FailedTest &b) { return a.number < b.number; });
    QByteArray out;
    for (const FailedTest &test : failed) {
        out += QByteArray::number(test.number);
        out += ':';
        out += test.name.toUtf8();
        out += '\n';
    }
    return out;
}

bool readLastTestsFailed(const QString &path, QVector<FailedTest> *failed, QString *error)
{
    QByteArray bytes;
    if (!readWholeFile(path, &bytes, error))
        return false;
    *failed = parseLastTestsFailed(bytes);
    return true;
}

bool updateLastTestsFailed(const QString &path, const QVector<FailedTest> &failed, QString *error)
{
    if (failed.isEmpty())
        return true;
    return writeWholeFile(path, serializeLastTestsFailed(failed), error);
}

QString costDataPath(const QString &buildDir)
{
    return QDir(buildDir).filePath(QStringLiteral("Testing/Temporary/CTestCostData.txt"));
}

QString lastTestsFailedPath(const QString &buildDir, const QString &tag)
{
    // Under -T, ctest names its logs after the tag.
    return QDir(buildDir).filePath(tag.isEmpty() ? QStringLiteral("Testing/Temporary/LastTestsFailed.log")
                                                 : QStringLiteral("Testing/Temporary/LastTestsFailed_%1.log").arg(tag));
}

QString findLastTestsFailedLog(const QString &buildDir)
{
    const QDir dir(QDir(buildDir).filePath(QStringLiteral("Testing/Temporary")));
    const QFileInfoList files
        = dir.entryInfoList(QStringList {QStringLiteral("LastTestsFailed*")}, QDir::Files | QDir::Hidden, QDir::Name);
    QString best;
    QDateTime bestTime;
    for (const QFileInfo &info : files) {
        const QDateTime modified = info.lastModified();
        if (best.isEmpty() || modified > bestTime) {
            best = info.absoluteFilePath();
            bestTime = modified;
        }
    }
    return best;
}

} // namespace ctestd::ctest
