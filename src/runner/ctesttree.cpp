// SPDX-License-Identifier: BSD-3-Clause
#include "ctesttree.h"

#include "ctest/testload.h"
#include "frameworks/adapter.h"
#include "frameworks/gtest/gtestadapter.h"
#include "frameworks/plain/plainadapter.h"
#include "frameworks/registry.h"
#include "grouping.h"
#include "model/logging.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTimer>

namespace ctestd {

namespace {

constexpr int ReadTimeoutMs = 120000; // evaluating PRE_TEST discovery can take a while

// Properties ctestd honours. Anything else is named in a warning.
const QSet<QString> &supportedProperties()
{
    static const QSet<QString> names {
        QStringLiteral("WORKING_DIRECTORY"),
        QStringLiteral("ENVIRONMENT"),
        QStringLiteral("TIMEOUT"),
        QStringLiteral("WILL_FAIL"),
        QStringLiteral("PASS_REGULAR_EXPRESSION"),
        QStringLiteral("FAIL_REGULAR_EXPRESSION"),
        QStringLiteral("SKIP_REGULAR_EXPRESSION"),
        QStringLiteral("SKIP_RETURN_CODE"),
        QStringLiteral("DISABLED"),
        QStringLiteral("LABELS"),
        QStringLiteral("REQUIRED_FILES"),
        QStringLiteral("DEPENDS"),
        QStringLiteral("FIXTURES_SETUP"),
        QStringLiteral("FIXTURES_CLEANUP"),
        QStringLiteral("FIXTURES_REQUIRED"),
        QStringLiteral("RUN_SERIAL"),
        QStringLiteral("RESOURCE_LOCK"),
        QStringLiteral("PROCESSORS"),
        QStringLiteral("COST"),
    };
    return names;
}

// Properties a regrouped gtest case may carry: the group honours them
// identically (same value for every case of the group, or per case).
const QSet<QString> &groupableProperties()
{
    static const QSet<QString> names {
        QStringLiteral("WORKING_DIRECTORY"),
        QStringLiteral("ENVIRONMENT"),
        QStringLiteral("TIMEOUT"),
        QStringLiteral("LABELS"),
        QStringLiteral("DISABLED"),
        QStringLiteral("COST"),
        QStringLiteral("SKIP_REGULAR_EXPRESSION"),
    };
    return names;
}

// The skip regex gtest_discover_tests sets; the gtest adapter reads skips
// from gtest's own markers, which is what that regex detects.
const QString GTestSkipRegex = QStringLiteral("\\[  SKIPPED \\]");

QStringList stringList(const QJsonValue &value)
{
    QStringList list;
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (const QJsonValue &item : array)
            list.append(item.toVariant().toString());
    } else if (!value.isUndefined() && !value.isNull()) {
        list.append(value.toVariant().toString());
    }
    return list;
}

bool truthy(const QJsonValue &value)
{
    if (value.isBool())
        return value.toBool();
    if (value.isDouble())
        return value.toDouble() != 0;
    // CMake's false constants; anything else is true.
    const QString text = value.toVariant().toString().toUpper();
    return !(text.isEmpty() || text == QLatin1String("0") || text == QLatin1String("OFF") || text == QLatin1String("NO")
        || text == QLatin1String("FALSE") || text == QLatin1String("N") || text == QLatin1String("IGNORE")
        || text == QLatin1String("NOTFOUND") || text.endsWith(QLatin1String("-NOTFOUND")));
}

// Why a test registered as "exe --gtest_filter=X ..." cannot join its
// executable's fixture group; empty if it can.
QString regroupObstacle(const QStringList &command, const QJsonObject &properties)
{
    if (command.size() < 3 || !command.at(1).startsWith(QLatin1String("--gtest_filter="))
        || command.at(2) != QLatin1String("--gtest_also_run_disabled_tests"))
        return QStringLiteral("not a gtest_discover_tests registration");
    if (command.size() > 3)
        return QStringLiteral("extra arguments %1").arg(command.mid(3).join(QLatin1Char(' ')));
    const QString filter = command.at(1).mid(15);
    static const QRegularExpression selector(QStringLiteral("^[^.:*?\\-]+\\.[^.:*?\\-]+$"));
    if (!selector.match(filter).hasMatch())
        return QStringLiteral("the filter '%1' is not exactly one case").arg(filter);
    for (auto it = properties.constBegin(); it != properties.constEnd(); ++it) {
        if (!groupableProperties().contains(it.key()))
            return QStringLiteral("property %1").arg(it.key());
    }
    const QStringList skip = stringList(properties.value(QStringLiteral("SKIP_REGULAR_EXPRESSION")));
    if (!skip.isEmpty() && skip != QStringList {GTestSkipRegex})
        return QStringLiteral("SKIP_REGULAR_EXPRESSION %1").arg(skip.join(QLatin1Char(';')));
    return QString();
}

// A test registered by ctestd_discover_tests() runs `ctestd case ...` to ask
// the tree's daemon; read directly, it is a case of its executable that runs
// here with its fixture group like any other. Anything the registration
// carries that a group cannot honour identically leaves it a plain test
// (which still works, through the daemon).
bool ctestdCase(const QStringList &command, const QJsonObject &properties, TestCase *testCase)
{
    // `ctestd case ...`, or the same through the light client the module
    // builds for each test target (<target>_ctestd_case case ...).
    const QString program = QFileInfo(command.value(0)).fileName();
    if (command.size() < 2 || (program != QLatin1String("ctestd") && !program.endsWith(QLatin1String("_ctestd_case")))
        || command.at(1) != QLatin1String("case"))
        return false;
    static const QSet<QString> allowed {
        QStringLiteral("WORKING_DIRECTORY"),
        QStringLiteral("ENVIRONMENT"),
        QStringLiteral("TIMEOUT"),
        QStringLiteral("LABELS"),
        QStringLiteral("DISABLED"),
        QStringLiteral("COST"),
        QStringLiteral("SKIP_RETURN_CODE"),
    };
    // A fixture or a dependency is the user's, which a group cannot honour
    // per case.
    for (auto it = properties.constBegin(); it != properties.constEnd(); ++it) {
        if (!allowed.contains(it.key()))
            return false;
    }

    QString executable, framework = QStringLiteral("gtest"), selector, workingDirectory, group;
    bool hasGroup = false;
    QStringList extraArguments;
    QStringList launcher;
    std::optional<GroupBy> groupBy;
    for (int i = 2; i + 1 < command.size(); i += 2) {
        const QString option = command.at(i);
        const QString value = command.at(i + 1);
        if (option == QLatin1String("--executable")) {
            executable = value;
        } else if (option == QLatin1String("--framework")) {
            framework = value;
        } else if (option == QLatin1String("--selector")) {
            selector = value;
        } else if (option == QLatin1String("--working-directory")) {
            workingDirectory = value;
        } else if (option == QLatin1String("--extra-arg")) {
            extraArguments.append(value);
        } else if (option == QLatin1String("--launcher")) {
            launcher = QProcess::splitCommand(value);
            if (launcher.isEmpty())
                return false;
        } else if (option == QLatin1String("--group-by")) {
            GroupBy mode = GroupBy::Suite;
            if (!groupByFromName(value, &mode))
                return false;
            groupBy = mode;
        } else if (option == QLatin1String("--group")) {
            group = value;
            hasGroup = true;
        } else if (option != QLatin1String("--build-dir") && option != QLatin1String("--timeout")) {
            return false; // an option this reader does not know: let the client handle it
        }
    }
    if ((command.size() % 2) != 0 || executable.isEmpty() || selector.isEmpty() || !createFrameworkAdapter(framework))
        return false;
    testCase->framework = framework;
    testCase->executable = executable;
    testCase->selector = selector;
    if (framework == QLatin1String("gtest")) {
        testCase->suite = selector.section(QLatin1Char('.'), 0, 0);
        testCase->name = selector.section(QLatin1Char('.'), 1);
    } else {
        // Only gtest's selector says the suite; the others' cases report under
        // their executable, named as registered.
        testCase->name = testCase->displayName;
    }
    // The group the listing computed when the case was registered: the same
    // process the daemon would run it in.
    if (hasGroup)
        testCase->registeredGroup = group;
    testCase->arguments = extraArguments;
    testCase->launcher = launcher;
    if (!workingDirectory.isEmpty())
        testCase->workingDirectory = workingDirectory;
    testCase->groupBy = groupBy;
    testCase->rules = ResultRules(); // the framework reports skips itself
    if (framework == QLatin1String("plain")) // as `ctestd case` runs it: 77 skips
        testCase->rules.skipReturnCode = PlainAdapter::skipReturnCode;
    return true;
}

} // namespace

bool parseCTestJson(const QByteArray &json, const QString &directory, CTestTree *tree, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (document.isNull() || !document.isObject()) {
        *error = QStringLiteral("ctest --show-only=json-v1 printed no JSON document: %1").arg(parseError.errorString());
        return false;
    }
    const QJsonObject root = document.object();
    if (root.value(QStringLiteral("kind")).toString() != QLatin1String("ctestInfo")
        || root.value(QStringLiteral("version")).toObject().value(QStringLiteral("major")).toInt() != 1) {
        *error = QStringLiteral(
            "ctest --show-only=json-v1 printed an unknown format (expected kind ctestInfo, version 1)");
        return false;
    }

    tree->directory = directory;
    QHash<QString, QStringList> unsupported; // property -> tests
    QVector<QStringList> dependsNames; // per case, its DEPENDS
    const QJsonArray tests = root.value(QStringLiteral("tests")).toArray();
    for (int i = 0; i < tests.size(); ++i) {
        const QJsonObject test = tests.at(i).toObject();
        QJsonObject properties;
        const QJsonArray propertyList = test.value(QStringLiteral("properties")).toArray();
        for (const QJsonValue &property : propertyList)
            properties.insert(property.toObject().value(QStringLiteral("name")).toString(),
                property.toObject().value(QStringLiteral("value")));

        TestCase testCase;
        testCase.index = i + 1;
        testCase.displayName = test.value(QStringLiteral("name")).toString();
        const QStringList command = stringList(test.value(QStringLiteral("command")));
        testCase.command = command;
        testCase.executable = command.value(0);
        testCase.workingDirectory = properties.value(QStringLiteral("WORKING_DIRECTORY")).toString();
        testCase.environment = stringList(properties.value(QStringLiteral("ENVIRONMENT")));
        if (properties.contains(QStringLiteral("TIMEOUT")))
            testCase.timeoutSeconds = properties.value(QStringLiteral("TIMEOUT")).toVariant().toDouble();
        testCase.disabled = truthy(properties.value(QStringLiteral("DISABLED")));
        testCase.labels = stringList(properties.value(QStringLiteral("LABELS")));
        testCase.requiredFiles = stringList(properties.value(QStringLiteral("REQUIRED_FILES")));
        testCase.fixturesSetup = stringList(properties.value(QStringLiteral("FIXTURES_SETUP")));
        testCase.fixturesCleanup = stringList(properties.value(QStringLiteral("FIXTURES_CLEANUP")));
        testCase.fixturesRequired = stringList(properties.value(QStringLiteral("FIXTURES_REQUIRED")));
        testCase.resourceLocks = stringList(properties.value(QStringLiteral("RESOURCE_LOCK")));
        testCase.runSerial = truthy(properties.value(QStringLiteral("RUN_SERIAL")));
        testCase.processors = qMax(1, properties.value(QStringLiteral("PROCESSORS")).toVariant().toInt());
        testCase.cost = properties.value(QStringLiteral("COST")).toVariant().toDouble();
        testCase.rules.passRegex = stringList(properties.value(QStringLiteral("PASS_REGULAR_EXPRESSION")));
        testCase.rules.failRegex = stringList(properties.value(QStringLiteral("FAIL_REGULAR_EXPRESSION")));
        testCase.rules.skipRegex = stringList(properties.value(QStringLiteral("SKIP_REGULAR_EXPRESSION")));
        if (properties.contains(QStringLiteral("SKIP_RETURN_CODE"))) {
            bool ok = false;
            const int code = properties.value(QStringLiteral("SKIP_RETURN_CODE")).toVariant().toInt(&ok);
            testCase.rules.skipReturnCode = ok && code >= 0 && code <= 255 ? code : -1;
        }
        testCase.rules.willFail = truthy(properties.value(QStringLiteral("WILL_FAIL")));
        // DEPENDS names are resolved to indices once every test is known.
        QStringList depends = stringList(properties.value(QStringLiteral("DEPENDS")));

        for (auto it = properties.constBegin(); it != properties.constEnd(); ++it) {
            if (!supportedProperties().contains(it.key()))
                unsupported[it.key()].append(testCase.displayName);
        }

        if (ctestdCase(command, properties, &testCase)) {
            dependsNames.append(QStringList());
            tree->cases.append(testCase);
            continue;
        }
        const QString obstacle = regroupObstacle(command, properties);
        if (obstacle.isEmpty()) {
            const QString selector = command.at(1).mid(15);
            testCase.framework = QStringLiteral("gtest");
            testCase.selector = selector;
            testCase.suite = GTestAdapter::withoutDisabledPrefix(selector.section(QLatin1Char('.'), 0, 0));
            testCase.name = GTestAdapter::withoutDisabledPrefix(selector.section(QLatin1Char('.'), 1));
            testCase.rules = ResultRules(); // gtest reports skips itself
        } else {
            testCase.framework = QStringLiteral("plain");
            testCase.ctestTest = true;
            testCase.selector = testCase.displayName;
            testCase.name = testCase.displayName;
            testCase.arguments = command.mid(1);
            if (command.value(1).startsWith(QLatin1String("--gtest_filter=")))
                tree->notes.append(QStringLiteral("%1 runs on its own: %2").arg(testCase.displayName, obstacle));
        }
        dependsNames.append(depends);
        tree->cases.append(testCase);
    }

    // Resolve DEPENDS by name; ctest ignores names that are not tests.
    QHash<QString, int> byName;
    for (int i = 0; i < tree->cases.size(); ++i)
        byName.insert(tree->cases[i].displayName, i);
    for (int i = 0; i < tree->cases.size(); ++i) {
        TestCase &testCase = tree->cases[i];
        for (const QString &name : qAsConst(dependsNames[i])) {
            const int index = byName.value(name, -1);
            if (index >= 0 && !testCase.dependsOn.contains(index))
                testCase.dependsOn.append(index);
        }
    }

    QStringList names = unsupported.keys();
    names.sort();
    for (const QString &name : qAsConst(names)) {
        const QStringList &users = unsupported[name];
        tree->warnings.append(QStringLiteral("ctestd does not support the test property %1; it is ignored for %2 "
                                             "test(s): %3")
                                  .arg(name)
                                  .arg(users.size())
                                  .arg(users.mid(0, 3).join(QStringLiteral(", "))
                                      + (users.size() > 3 ? QStringLiteral(", ...") : QString())));
    }
    return true;
}

QString missingCommand(const QString &directory, const QString &name)
{
    return missingCommandLine(directory, name).value(0, name);
}

QStringList missingCommandLine(const QString &directory, const QString &name)
{
    // CMake writes add_test([=[name]=] "command" ...) with CMake string
    // escapes; under policy CMP0110's OLD behaviour (projects requiring
    // CMake before 3.19) the name is written bare: add_test(name "command").
    const QString escaped = QRegularExpression::escape(name);
    const QRegularExpression call(
        QStringLiteral("^add_test\\((?:\\[(=*)\\[%1\\]\\1\\]|%1)((?: \"(?:[^\"\\\\]|\\\\.)*\")+)\\)").arg(escaped),
        QRegularExpression::MultilineOption);
    static const QRegularExpression argument(QStringLiteral(" \"((?:[^\"\\\\]|\\\\.)*)\""));
    QDirIterator files(directory, {QStringLiteral("CTestTestfile.cmake")}, QDir::Files, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        QFile file(files.next());
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QRegularExpressionMatch match = call.match(QString::fromUtf8(file.readAll()));
        if (match.hasMatch()) {
            static const QRegularExpression escape(QStringLiteral("\\\\(.)"));
            QStringList command;
            auto it = argument.globalMatch(match.captured(2));
            while (it.hasNext())
                command << it.next().captured(1).replace(escape, QStringLiteral("\\1"));
            return command;
        }
    }
    return QStringList();
}

QString dartSuiteName(const QByteArray &dartConfiguration)
{
    QString name;
    const QList<QByteArray> lines = dartConfiguration.split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("BuildName:")) {
            name = QString::fromUtf8(line.mid(10));
            break;
        }
    }
    static const QString disallowed = QStringLiteral("\\:*?\"<>|\n\r\t\f\v");
    QString safe;
    for (const QChar c : qAsConst(name)) {
        if (!disallowed.contains(c))
            safe += c;
    }
    safe = safe.trimmed();
    return safe.isEmpty() ? QStringLiteral("(empty)") : safe;
}

double dartTimeout(const QByteArray &dartConfiguration)
{
    const QList<QByteArray> lines = dartConfiguration.split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("TimeOut:")) {
            bool ok = false;
            const double seconds = line.mid(8).trimmed().toDouble(&ok);
            return ok && seconds > 0 ? seconds : 0;
        }
    }
    return 0;
}

bool mayNeedConfiguration(const QString &directory)
{
    // CMake writes subdirs("dir") with the path relative to the file's
    // directory or absolute, escaped as a CMake string.
    static const QRegularExpression subdirs(
        QStringLiteral("^subdirs\\(\"((?:[^\"\\\\]|\\\\.)*)\"\\)"), QRegularExpression::MultilineOption);
    static const QRegularExpression escape(QStringLiteral("\\\\(.)"));
    QStringList pending {QDir(directory).absolutePath()};
    QSet<QString> seen;
    while (!pending.isEmpty()) {
        const QString current = pending.takeFirst();
        if (seen.contains(current))
            continue;
        seen.insert(current);
        QFile file(current + QStringLiteral("/CTestTestfile.cmake"));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QByteArray text = file.readAll();
        if (text.contains(" NOT_AVAILABLE)"))
            return true;
        auto it = subdirs.globalMatch(QString::fromUtf8(text));
        while (it.hasNext()) {
            QString path = it.next().captured(1);
            path.replace(escape, QStringLiteral("\\1"));
            pending.append(QDir::cleanPath(QDir(current).absoluteFilePath(path)));
        }
    }
    return false;
}

bool addTestsNeedingConfiguration(const QByteArray &listing, CTestTree *tree, QString *error)
{
    static const QRegularExpression line(QStringLiteral("^  Test +#(\\d+): (.*)$"));
    QVector<TestCase> merged;
    QVector<int> newIndex(tree->cases.size(), -1); // old position -> new position
    int next = 0; // the next json-v1 case to match
    const QList<QByteArray> lines = listing.split('\n');
    for (const QByteArray &bytes : lines) {
        const QRegularExpressionMatch match = line.match(QString::fromUtf8(bytes));
        if (!match.hasMatch())
            continue;
        const QString text = match.captured(2);
        if (next < tree->cases.size()) {
            const TestCase &known = tree->cases.at(next);
            if (text == known.displayName
                || (known.disabled && text == known.displayName + QStringLiteral(" (Disabled)"))) {
                newIndex[next] = int(merged.size());
                merged.append(known);
                ++next;
                continue;
            }
        }
        TestCase unavailable;
        unavailable.displayName = text;
        unavailable.name = text;
        unavailable.selector = text;
        unavailable.framework = QStringLiteral("plain");
        unavailable.ctestTest = true;
        unavailable.needsConfiguration = true;
        merged.append(unavailable);
    }
    if (next != tree->cases.size()) {
        *error = QStringLiteral("ctest -N does not list %1, which ctest --show-only=json-v1 does")
                     .arg(tree->cases.at(next).displayName);
        return false;
    }
    for (int i = 0; i < merged.size(); ++i) {
        TestCase &testCase = merged[i];
        testCase.index = i + 1;
        for (int &dependency : testCase.dependsOn)
            dependency = newIndex.at(dependency);
    }
    tree->cases = merged;
    return true;
}

CTestTreeReader::CTestTreeReader(
    const QString &directory, const QString &ctestProgram, const QString &configuration, QObject *parent)
    : QObject(parent)
    , m_directory(QDir(directory).absolutePath())
    , m_ctest(ctestProgram)
    , m_configuration(configuration)
{ }

void CTestTreeReader::start()
{
    const QFileInfo info(m_directory);
    if (!info.isDir()) {
        const QString error
            = QStringLiteral("Failed to change working directory to %1 : No such file or directory").arg(m_directory);
        QTimer::singleShot(0, this, [this, error] { Q_EMIT finished(CTestTree(), error); });
        return;
    }
    // A folder without CTestTestfile.cmake is an empty tree, as for ctest:
    // "No tests were found!!!", exit 0 (8 with --no-tests=error).
    QStringList arguments {QStringLiteral("--show-only=json-v1")};
    if (!m_configuration.isEmpty())
        arguments += {QStringLiteral("-C"), m_configuration};
    runCtest(arguments, [this](const QByteArray &json) { listed(json); });
}

void CTestTreeReader::listed(const QByteArray &json)
{
    QString error;
    if (!parseCTestJson(json, m_directory, &m_tree, &error)) {
        // ctest before 3.14 does not know json-v1 and prints a usage text.
        return Q_EMIT finished(CTestTree(), QStringLiteral("%1 (is ctest 3.14 or newer?)").arg(error));
    }
    QFile dart(m_directory + QStringLiteral("/DartConfiguration.tcl"));
    if (dart.open(QIODevice::ReadOnly)) {
        const QByteArray configuration = dart.readAll();
        m_tree.defaultTimeout = dartTimeout(configuration);
        m_tree.junitSuiteName = dartSuiteName(configuration);
        m_tree.testLoad = ctest::dartTestLoad(configuration);
    }
    if (!m_configuration.isEmpty() || !mayNeedConfiguration(m_directory))
        return Q_EMIT finished(m_tree, QString());
    runCtest({QStringLiteral("-N")}, [this](const QByteArray &listing) {
        QString mismatch;
        if (!addTestsNeedingConfiguration(listing, &m_tree, &mismatch))
            return Q_EMIT finished(CTestTree(), mismatch);
        Q_EMIT finished(m_tree, QString());
    });
}

void CTestTreeReader::runCtest(const QStringList &arguments, std::function<void(const QByteArray &)> done)
{
    auto *process = new QProcess(this);
    process->setWorkingDirectory(m_directory);
    auto *timer = new QTimer(process);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, process, [process] { process->kill(); });
    connect(process, &QProcess::errorOccurred, this, [this, process, timer](QProcess::ProcessError processError) {
        if (processError != QProcess::FailedToStart)
            return;
        timer->stop();
        process->deleteLater();
        Q_EMIT finished(CTestTree(),
            QStringLiteral("cannot run %1 to read the build tree: %2").arg(m_ctest, process->errorString()));
    });
    connect(process, &QProcess::finished, this,
        [this, process, timer, arguments, done](int exitCode, QProcess::ExitStatus status) {
            const bool timedOut = !timer->isActive();
            timer->stop();
            process->deleteLater();
            const QByteArray out = process->readAllStandardOutput();
            const QString err = QString::fromLocal8Bit(process->readAllStandardError()).trimmed();
            if (status != QProcess::NormalExit || exitCode != 0) {
                const QString why = timedOut ? QStringLiteral("timed out") : err.section(QLatin1Char('\n'), 0, 0);
                return Q_EMIT finished(CTestTree(),
                    QStringLiteral("%1 %2 failed in %3: %4")
                        .arg(m_ctest, arguments.join(QLatin1Char(' ')), m_directory,
                            why.isEmpty() ? QStringLiteral("exit code %1").arg(exitCode) : why));
            }
            done(out);
        });
    timer->start(ReadTimeoutMs);
    process->start(m_ctest, arguments);
}

} // namespace ctestd
