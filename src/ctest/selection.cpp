// SPDX-License-Identifier: BSD-3-Clause
#include "selection.h"

#include "regex.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QLocale>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <set>
#include <string>

namespace ctestd::ctest {

namespace {

// Every regex matches at least one of the labels (cmCTestTestHandler's
// MatchLabelsAgainstFilterRE).
bool everyRegexMatchesSomeLabel(const QStringList &labels, const QVector<Regex> &regexes)
{
    for (const Regex &regex : regexes) {
        const bool found
            = std::any_of(labels.cbegin(), labels.cend(), [&](const QString &label) { return regex.find(label); });
        if (!found)
            return false;
    }
    return true;
}

// A test of the numbered list.
struct Candidate {
    const TestInfo *test = nullptr;
    int number = 0;
};

// cmCTestTestHandler::UpdateForFixtures: adds setup and cleanup tests of the
// fixtures the selected tests require. `selected` holds positions in `all`.
void addFixtureTests(const QVector<Candidate> &all, QVector<int> *selected, const SelectionOptions &options)
{
    const auto regex = [](const std::optional<QString> &pattern) {
        return pattern && !pattern->isEmpty() ? std::optional<Regex>(Regex(*pattern)) : std::nullopt;
    };
    const std::optional<Regex> excludeAny = regex(options.fixtureExcludeAny);
    const std::optional<Regex> excludeSetup = regex(options.fixtureExcludeSetup);
    const std::optional<Regex> excludeCleanup = regex(options.fixtureExcludeCleanup);
    QHash<QString, QVector<int>> setups;
    QHash<QString, QVector<int>> cleanups;
    for (int i = 0; i < all.size(); ++i) {
        // A test's fixture properties are sets in ctest.
        const QStringList setup = all.at(i).test->fixturesSetup;
        for (const QString &fixture : QSet<QString>(setup.cbegin(), setup.cend()))
            setups[fixture].append(i);
        const QStringList cleanup = all.at(i).test->fixturesCleanup;
        for (const QString &fixture : QSet<QString>(cleanup.cbegin(), cleanup.cend()))
            cleanups[fixture].append(i);
    }
    QSet<QString> addedTests;
    for (int position : *selected)
        addedTests.insert(all.at(position).test->name);
    QSet<QString> addedFixtures;
    for (int i = 0; i < selected->size(); ++i) {
        const TestInfo *test = all.at(selected->at(i)).test;
        if (test->disabled)
            continue;
        // std::set<std::string>: byte order of the UTF-8 names.
        std::set<std::string> required;
        for (const QString &fixture : test->fixturesRequired)
            required.insert(fixture.toStdString());
        for (const std::string &name : required) {
            const QString fixture = QString::fromStdString(name);
            if (fixture.isEmpty() || addedFixtures.contains(fixture))
                continue;
            addedFixtures.insert(fixture);
            if (excludeAny && excludeAny->find(fixture))
                continue;
            for (const auto *map : {&setups, &cleanups}) {
                const std::optional<Regex> &exclude = map == &setups ? excludeSetup : excludeCleanup;
                if (exclude && exclude->find(fixture))
                    continue;
                for (int position : map->value(fixture)) {
                    const QString &testName = all.at(position).test->name;
                    if (addedTests.contains(testName))
                        continue;
                    addedTests.insert(testName);
                    selected->append(position);
                }
            }
        }
    }
}

// C's atoi() and atof() on one field of -I: the longest number at its start
// (after blanks), 0 when there is none. Locale-independent, as ctest's C
// locale is.
QString numberPrefix(const QString &field, bool real)
{
    static const QRegularExpression integer(QStringLiteral("^\\s*[+-]?\\d+"));
    static const QRegularExpression floating(QStringLiteral("^\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?"));
    return (real ? floating : integer).match(field).captured(0).trimmed();
}

int atoiField(const QString &field)
{
    const QString digits = numberPrefix(field, false);
    bool ok = false;
    const qlonglong value = digits.toLongLong(&ok);
    if (!ok) // no digits, or more than fit: atoi gives 0 or garbage; 0 selects nothing
        return 0;
    return int(qBound<qlonglong>(INT_MIN, value, INT_MAX));
}

double atofField(const QString &field)
{
    return QLocale::c().toDouble(numberPrefix(field, true));
}

} // namespace

QVector<int> expandTestsInformation(const QString &text, int count)
{
    // ctest's GetNextNumber: a field is read up to the next comma; an empty
    // one is -1; it says whether a comma followed.
    const QStringList fields = text.split(QLatin1Char(','));
    const auto field = [&](int i, bool real) -> double {
        const QString f = fields.value(i);
        if (f.isEmpty())
            return -1;
        return real ? atofField(f) : atoiField(f);
    };
    QVector<int> numbers;
    const int start = field(0, false) == -1 ? 1 : int(field(0, false));
    const int end = fields.size() < 2 || field(1, false) == -1 ? count : int(field(1, false));
    const double stride = fields.size() < 3 || field(2, true) == -1 ? 1 : field(2, true);
    // The extra numbers exist only after "Start,End,Stride,".
    for (int i = 3; i < fields.size(); ++i)
        numbers.append(int(field(i, false)));
    if (stride > 0) {
        for (int i = 0; i * stride + start <= end; ++i)
            numbers.append(int(i * stride + start));
    }
    std::sort(numbers.begin(), numbers.end());
    numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
    return numbers;
}

QString testsInformationText(const QString &value, const QString &directory)
{
    const QFileInfo info(QDir(directory), value);
    if (!info.isFile())
        return value;
    QFile file(info.filePath());
    if (!file.open(QIODevice::ReadOnly))
        return value;
    return QString::fromLocal8Bit(file.readLine()).remove(QLatin1Char('\n'));
}

Selection select(const QVector<TestInfo> &tests, const SelectionOptions &options)
{
    Selection result;

    QVector<Regex> includeLabels;
    for (const QString &pattern : options.includeLabels) {
        includeLabels.append(Regex(pattern));
        result.labelRegexMessages += includeLabels.constLast().compileMessages();
    }
    QVector<Regex> excludeLabels;
    for (const QString &pattern : options.excludeLabels) {
        excludeLabels.append(Regex(pattern));
        result.labelRegexMessages += excludeLabels.constLast().compileMessages();
    }
    std::optional<Regex> include;
    if (options.includeRegex) {
        include.emplace(*options.includeRegex);
        result.nameRegexMessages += include->compileMessages();
    }
    std::optional<Regex> exclude;
    if (options.excludeRegex) {
        exclude.emplace(*options.excludeRegex);
        result.nameRegexMessages += exclude->compileMessages();
    }
    const bool excludeFirst = exclude && !include;

    // The numbered list: -E without -R drops tests before numbering.
    QVector<Candidate> all;
    for (const TestInfo &test : tests) {
        if (excludeFirst && exclude->find(test.name))
            continue;
        all.append(Candidate {&test, all.size() + 1});
    }

    QVector<int> selected;
    if (options.rerunFailed) {
        const QSet<int> wanted(options.rerunNumbers.cbegin(), options.rerunNumbers.cend());
        for (int i = 0; i < all.size(); ++i) {
            if (wanted.isEmpty() || wanted.contains(all.at(i).number))
                selected.append(i);
        }
    } else {
        // Whether -R/-E/-L/-LE let each test in (ctest's IsInBasedOnREOptions).
        QVector<bool> inByRegexes(all.size(), true);
        for (int i = 0; i < all.size(); ++i) {
            const TestInfo &test = *all.at(i).test;
            bool &in = inByRegexes[i];
            if (include && (!include->find(test.name) || (exclude && exclude->find(test.name))))
                in = false;
            if (!includeLabels.isEmpty()) {
                if (test.labels.isEmpty() || !everyRegexMatchesSomeLabel(test.labels, includeLabels))
                    in = false;
            }
            if (!excludeLabels.isEmpty() && !test.labels.isEmpty()
                && everyRegexMatchesSomeLabel(test.labels, excludeLabels))
                in = false;
        }
        const int inCount = int(std::count(inByRegexes.cbegin(), inByRegexes.cend(), true));
        QSet<int> numbers;
        if (options.testsInformation) {
            const QVector<int> expanded
                = expandTestsInformation(*options.testsInformation, options.useUnion ? int(all.size()) : inCount);
            numbers = QSet<int>(expanded.cbegin(), expanded.cend());
        }
        int inRank = 0; // the test's number among those the regexes let in
        for (int i = 0; i < all.size(); ++i) {
            const bool in = inByRegexes.at(i);
            inRank += in ? 1 : 0;
            const bool numbered = numbers.isEmpty() || numbers.contains(options.useUnion ? all.at(i).number : inRank);
            if (options.useUnion ? (numbered || in) : (numbered && in))
                selected.append(i);
        }
    }

    const int chosen = int(selected.size());
    addFixtureTests(all, &selected, options);
    result.addedForFixtures = int(selected.size()) - chosen;
    std::sort(selected.begin(), selected.end());
    for (int position : selected) {
        result.indices.append(all.at(position).test->index);
        result.numbers.append(all.at(position).number);
    }
    return result;
}

bool parseRepeat(const QString &value, RepeatMode *mode, QString *error)
{
    static const struct {
        const char *prefix;
        RepeatMode::Kind kind;
    } modes[] = {
        {"until-fail:", RepeatMode::UntilFail},
        {"until-pass:", RepeatMode::UntilPass},
        {"after-timeout:", RepeatMode::AfterTimeout},
    };
    for (const auto &candidate : modes) {
        const QLatin1String prefix(candidate.prefix);
        if (!value.startsWith(prefix))
            continue;
        const QString digits = value.mid(prefix.size());
        const bool allDigits = !digits.isEmpty() && std::all_of(digits.cbegin(), digits.cend(), [](QChar c) {
            return c >= QLatin1Char('0') && c <= QLatin1Char('9');
        });
        if (!allDigits)
            break;
        // cmStrToULong: an unsigned long, or failure (then ctest keeps 1).
        std::uint64_t n = 0;
        bool overflow = false;
        for (QChar c : digits) {
            const std::uint64_t digit = std::uint64_t(c.unicode() - '0');
            if (n > (UINT64_MAX - digit) / 10) {
                overflow = true;
                break;
            }
            n = n * 10 + digit;
        }
        if (overflow)
            n = 1;
        const int count = static_cast<int>(static_cast<std::int32_t>(static_cast<std::uint32_t>(n)));
        *mode = count > 1 ? RepeatMode {candidate.kind, count} : RepeatMode {};
        return true;
    }
    if (error)
        *error = QStringLiteral("'--repeat' given invalid value '%1'").arg(value);
    return false;
}

} // namespace ctestd::ctest
