// SPDX-License-Identifier: BSD-3-Clause
#include "caseloader.h"

#include "ctest/costdata.h"
#include "ctest/paths.h"
#include "ctest/showonly.h"
#include "ctesttree.h"
#include "discovery.h"
#include "model/defaults.h"

#include <QDateTime>
#include <QFileInfo>
#include <QIODevice>
#include <QProcess>
#include <QTimer>

namespace ctestd {

namespace {
// The executable of a tree's test that ctest would not find, or empty.
QString missingExecutable(const TestCase &testCase, const QString &directory)
{
    if (testCase.needsConfiguration)
        return QString(); // it has no executable: ctest says so in other words
    // json-v1 leaves out the command of a test whose executable ctest cannot
    // find; the build tree's test files still name it.
    if (testCase.executable.isEmpty())
        return missingCommand(directory, testCase.displayName);
    const QFileInfo info(testCase.executable);
    return !info.exists() || info.isDir() || !info.isExecutable() ? testCase.executable : QString();
}

// A case name that occurs in more than one executable of the run is shown
// qualified with its executable, as a TEST_PREFIX would make it
// ("db_tests.Math.Add"), so that the console tells the two apart the way
// distinct ctest test names would. The prefix is the executable's file name,
// or the path as given when executables of the same file name share the case
// name. Cases in `fixed` (results settled before the run) keep their names.
void qualifySharedNames(QVector<TestCase> *cases, const QVector<bool> &fixed, const QStringList &given)
{
    QHash<QString, QStringList> executablesOf; // display name -> executables with such a case
    for (int i = 0; i < cases->size(); ++i) {
        const TestCase &testCase = cases->at(i);
        QStringList &executables = executablesOf[testCase.displayName];
        if (!fixed.value(i) && !executables.contains(testCase.executable))
            executables.append(testCase.executable);
    }
    QHash<QString, QString> givenAs; // absolute path -> as given on the command line
    for (const QString &path : given)
        givenAs.insert(QFileInfo(path).absoluteFilePath(), path);
    for (int i = 0; i < cases->size(); ++i) {
        TestCase &testCase = (*cases)[i];
        const QStringList &executables = executablesOf.value(testCase.displayName);
        if (fixed.value(i) || executables.size() < 2)
            continue;
        const QString fileName = QFileInfo(testCase.executable).fileName();
        int sameFileName = 0;
        for (const QString &executable : executables)
            sameFileName += QFileInfo(executable).fileName() == fileName ? 1 : 0;
        const QString prefix = sameFileName > 1 ? givenAs.value(testCase.executable, testCase.executable) : fileName;
        testCase.displayName.prepend(prefix + QLatin1Char('.'));
    }
}

} // namespace

int firstInCycle(const QVector<TestCase> &cases)
{
    // As ctest checks: for each test in order, walk its dependencies; a walk
    // that comes back to the test names it.
    for (int root = 0; root < cases.size(); ++root) {
        QVector<bool> seen(cases.size(), false);
        QVector<int> stack = cases[root].dependsOn;
        while (!stack.isEmpty()) {
            const int next = stack.takeLast();
            if (next == root)
                return root;
            if (seen[next])
                continue;
            seen[next] = true;
            stack += cases[next].dependsOn;
        }
    }
    return -1;
}

CaseLoader::CaseLoader(const RunOptions &options, QIODevice *out, QIODevice *err, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_out(out)
    , m_err(err)
{ }

void CaseLoader::start()
{
    if (m_options.showOnlyJson)
        return showJson();
    if (!m_options.testDirectory.isEmpty()) {
        // ctest announces the change of directory first, whatever follows.
        const ctest::TestDirectory directory
            = ctest::resolveTestDirectory(m_options.testDirectoryGiven ? m_options.testDirectory : QString());
        if (directory.changes)
            m_out->write(ctest::changingDirectoryLine(directory.announced).toUtf8());
        const QFileInfo info(directory.announced);
        if (!info.isDir()) {
            m_err->write(
                QStringLiteral("Failed to change working directory to \"%1\" : %2\n")
                    .arg(directory.announced,
                        info.exists() ? QStringLiteral("Not a directory") : QStringLiteral("No such file or directory"))
                    .toUtf8());
            QTimer::singleShot(0, this, [this] { Q_EMIT stopped(1); });
            return;
        }
        auto *reader = new CTestTreeReader(directory.project, m_options.ctestProgram, m_options.configuration, this);
        connect(reader, &CTestTreeReader::finished, this, &CaseLoader::treeRead);
        reader->start();
        return;
    }
    if (m_options.listed) {
        QTimer::singleShot(0, this, [this] { discovered({*m_options.listed}); });
        return;
    }
    auto *discovery = new Discovery(
        m_options.executables, m_options.framework, m_options.jobs, m_options.discoveryTimeoutSeconds, this);
    discovery->setLauncher(m_options.launcher);
    connect(discovery, &Discovery::finished, this, &CaseLoader::discovered);
    discovery->start();
}

void CaseLoader::showJson()
{
    // ctest is given what decides the list, spelled as the user gave it to
    // ctestd, from the same directory: its output is byte for byte ctest's.
    QStringList arguments;
    if (m_options.testDirectoryGiven)
        arguments += {QStringLiteral("--test-dir"), m_options.testDirectory};
    arguments.append(QStringLiteral("--show-only=json-v1"));
    const ctest::SelectionOptions &selection = m_options.selection;
    if (selection.includeRegex)
        arguments += {QStringLiteral("-R"), *selection.includeRegex};
    if (selection.excludeRegex)
        arguments += {QStringLiteral("-E"), *selection.excludeRegex};
    for (const QString &label : selection.includeLabels)
        arguments += {QStringLiteral("-L"), label};
    for (const QString &label : selection.excludeLabels)
        arguments += {QStringLiteral("-LE"), label};
    if (selection.testsInformation)
        arguments += {QStringLiteral("-I"), *selection.testsInformation};
    if (selection.useUnion)
        arguments.append(QStringLiteral("-U"));
    if (selection.rerunFailed)
        arguments.append(QStringLiteral("--rerun-failed"));
    if (selection.fixtureExcludeAny)
        arguments += {QStringLiteral("-FA"), *selection.fixtureExcludeAny};
    if (selection.fixtureExcludeSetup)
        arguments += {QStringLiteral("-FS"), *selection.fixtureExcludeSetup};
    if (selection.fixtureExcludeCleanup)
        arguments += {QStringLiteral("-FC"), *selection.fixtureExcludeCleanup};
    if (!m_options.configuration.isEmpty())
        arguments += {QStringLiteral("-C"), m_options.configuration};

    auto *process = new QProcess(this);
    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return;
        m_err->write(QStringLiteral("ctestd: cannot run %1 for --show-only=json-v1: %2\n")
                         .arg(m_options.ctestProgram, process->errorString())
                         .toUtf8());
        Q_EMIT stopped(1);
    });
    connect(process, &QProcess::finished, this, [this, process](int exitCode, QProcess::ExitStatus status) {
        m_out->write(process->readAllStandardOutput());
        m_err->write(process->readAllStandardError());
        if (status != QProcess::NormalExit)
            m_err->write(
                QStringLiteral("ctestd: %1 --show-only=json-v1 crashed\n").arg(m_options.ctestProgram).toUtf8());
        Q_EMIT stopped(status == QProcess::NormalExit ? exitCode : 1);
    });
    process->start(m_options.ctestProgram, arguments);
}

void CaseLoader::discovered(const QVector<DiscoveredExecutable> &results)
{
    LoadedCases loaded;
    loaded.projectDirectory = ctest::WorkingDirectory::current().logical();
    loaded.defaultTimeout = m_options.timeoutSeconds >= 0 ? m_options.timeoutSeconds : defaults::CaseTimeoutSeconds;
    QVector<TestCase> &cases = loaded.cases;
    QVector<CaseResult> &preset = loaded.preset;
    QVector<bool> &isPreset = loaded.isPreset;
    for (const DiscoveredExecutable &executable : results) {
        if (!executable.error.isEmpty()) {
            // The executable becomes one failed case named after it, so the
            // failure shows in every report instead of vanishing.
            TestCase testCase;
            testCase.executable = executable.executable;
            testCase.framework = QStringLiteral("plain");
            testCase.name = QFileInfo(executable.executable).fileName();
            testCase.displayName = testCase.name;
            cases.append(testCase);
            CaseResult result;
            result.status = Status::NotRun;
            result.message = executable.error;
            preset.append(result);
            isPreset.append(true);
            continue;
        }
        for (TestCase testCase : executable.cases) {
            testCase.framework = executable.framework;
            testCase.workingDirectory = m_options.workingDirectory;
            testCase.arguments = m_options.extraArguments;
            testCase.environment = m_options.environment;
            cases.append(testCase);
            preset.append(CaseResult());
            isPreset.append(false);
        }
    }
    qualifySharedNames(&cases, isPreset, m_options.executables);
    for (int i = 0; i < cases.size(); ++i)
        cases[i].index = i + 1;
    Q_EMIT this->loaded(loaded);
}

void CaseLoader::treeRead(const CTestTree &tree, const QString &error)
{
    if (!error.isEmpty()) {
        m_err->write(QStringLiteral("ctestd: %1\n").arg(error).toUtf8());
        QTimer::singleShot(0, this, [this] { Q_EMIT stopped(1); });
        return;
    }
    for (const QString &warning : tree.warnings)
        m_err->write(QStringLiteral("ctestd: warning: %1\n").arg(warning).toUtf8());
    if (m_options.console.verbose) {
        for (const QString &note : tree.notes)
            m_err->write(QStringLiteral("ctestd: %1\n").arg(note).toUtf8());
    }
    LoadedCases loaded;
    if (m_options.console.verbose) {
        // ctest -V reads its configuration twice, and says so each time.
        const QString dart = tree.directory + QStringLiteral("/DartConfiguration.tcl");
        QByteArray reading = "UpdateCTestConfiguration  from :" + dart.toUtf8() + '\n';
        if (QFileInfo::exists(dart))
            reading += "Parse Config file:" + dart.toUtf8() + '\n';
        m_out->write(reading + reading);
    }
    if (m_options.dashboardTest) {
        // ctest -T Test: the tag first, and what ctest says about it.
        ctest::Dashboard dashboard;
        QString why;
        const bool opened = ctest::openDashboard(tree.directory, QDateTime::currentDateTimeUtc(), &dashboard, &why);
        m_err->write(dashboard.headerErr());
        if (!opened) {
            m_err->write(QStringLiteral("ctestd: %1\n").arg(why).toUtf8());
            QTimer::singleShot(0, this, [this] { Q_EMIT stopped(1); });
            return;
        }
        m_out->write(dashboard.headerOut());
        m_err->write(dashboard.headerErr());
        loaded.dashboard = dashboard;
    }
    loaded.projectDirectory = tree.directory;
    loaded.junitSuiteName = tree.junitSuiteName;
    loaded.testLoad = tree.testLoad;
    loaded.defaultTimeout = m_options.timeoutSeconds >= 0 ? m_options.timeoutSeconds : tree.defaultTimeout;
    QVector<TestCase> &cases = loaded.cases;

    // ctest's selection: -R, -E, -L, -LE, -I, -U, --rerun-failed, plus the fixtures
    // the selected tests need. #K stays ctest's.
    QVector<ctest::TestInfo> infos;
    for (const TestCase &testCase : tree.cases) {
        infos.append({testCase.index, testCase.displayName, testCase.labels, testCase.fixturesSetup,
            testCase.fixturesCleanup, testCase.fixturesRequired, testCase.disabled});
    }
    ctest::SelectionOptions selectionOptions = m_options.selection;
    if (selectionOptions.testsInformation)
        selectionOptions.testsInformation
            = ctest::testsInformationText(*selectionOptions.testsInformation, tree.directory);
    if (selectionOptions.rerunFailed) {
        QVector<ctest::FailedTest> failed;
        QString ignored; // a missing log selects everything, as in ctest
        if (ctest::readLastTestsFailed(ctest::findLastTestsFailedLog(tree.directory), &failed, &ignored)) {
            for (const ctest::FailedTest &test : qAsConst(failed))
                selectionOptions.rerunNumbers.append(test.number);
        }
    }
    const ctest::Selection selection = ctest::select(infos, selectionOptions);
    if (m_options.printLabels) {
        m_out->write(ctest::printLabelsText(tree.directory, infos, selection).toUtf8());
        QTimer::singleShot(0, this, [this] { Q_EMIT stopped(0); });
        return;
    }
    m_out->write(selection.labelRegexMessages.toUtf8());
    if (m_options.showOnly) {
        // ctest -N also says which executables it cannot find, before their line.
        QStringList lines = ctest::showOnlyText(tree.directory, infos, selection).split(QLatin1Char('\n'));
        for (int index : selection.indices) {
            const TestCase &testCase = tree.cases[index - 1];
            const QString missing = missingExecutable(testCase, tree.directory);
            if (missing.isEmpty())
                continue;
            const QString suffix = QStringLiteral(": ") + testCase.displayName;
            for (int line = 0; line < lines.size(); ++line) {
                if (lines[line].startsWith(QLatin1String("  Test")) && lines[line].endsWith(suffix)) {
                    lines.insert(line, ctest::couldNotFindText(missing).trimmed());
                    break;
                }
            }
        }
        m_out->write(lines.join(QLatin1Char('\n')).toUtf8());
        QTimer::singleShot(0, this, [this] { Q_EMIT stopped(0); });
        return;
    }

    QVector<int> newPosition(tree.cases.size(), -1);
    for (int i = 0; i < selection.indices.size(); ++i) {
        TestCase testCase = tree.cases[selection.indices[i] - 1];
        testCase.index = selection.numbers.value(i, testCase.index);
        newPosition[selection.indices[i] - 1] = i;
        cases.append(testCase);
    }
    for (TestCase &testCase : cases) {
        QVector<int> dependsOn;
        for (int old : qAsConst(testCase.dependsOn)) {
            if (newPosition[old] >= 0)
                dependsOn.append(newPosition[old]);
        }
        testCase.dependsOn = dependsOn;
    }
    if (const int looped = firstInCycle(cases); looped >= 0) {
        // ctest's words; it then runs nothing and says so, with exit code 0.
        m_out->write("Test project " + tree.directory.toUtf8() + '\n');
        m_err->write(QStringLiteral("Error: a cycle exists in the test dependency graph for the test \"%1\".\n"
                                    "Please fix the cycle and run ctest again.\n")
                         .arg(cases[looped].displayName)
                         .toUtf8());
        m_err->write("No tests were found!!!\n");
        const int exitCode = m_options.noTestsIsError ? 8 : 0;
        QTimer::singleShot(0, this, [this, exitCode] { Q_EMIT stopped(exitCode); });
        return;
    }
    loaded.nameRegexMessages = selection.nameRegexMessages.toUtf8();
    if (m_options.console.verbose) {
        // ctest -V's account of building the list, after "Test project".
        loaded.nameRegexMessages += "Constructing a list of tests\nDone constructing a list of tests\n"
                                    "Updating test list for fixtures\nAdded "
            + QByteArray::number(selection.addedForFixtures)
            + " tests to meet fixture requirements\nChecking test dependency graph...\n"
              "Checking test dependency graph end\n";
    }

    // What ctest would refuse to start is settled here, before any worker.
    QVector<CaseResult> &preset = loaded.preset;
    QVector<bool> &isPreset = loaded.isPreset;
    preset.resize(cases.size());
    isPreset.fill(false, cases.size());
    for (int i = 0; i < cases.size(); ++i) {
        const TestCase &testCase = cases[i];
        if (testCase.disabled)
            continue;
        if (testCase.needsConfiguration) {
            // ctest's words, on stderr; its JUnit calls it "Missing Configuration".
            static const QString missing
                = QStringLiteral("Test not available without configuration.  (Missing \"-C <config>\"?)");
            preset[i].status = Status::NotRun;
            preset[i].message = missing;
            preset[i].noticeErr = missing.toUtf8() + '\n';
            isPreset[i] = true;
            continue;
        }
        // ctest checks the required files first, then the executable.
        QString problem;
        for (const QString &file : testCase.requiredFiles) {
            if (problem.isEmpty() && !QFileInfo::exists(file))
                problem = QStringLiteral("Unable to find required file: %1").arg(file);
        }
        if (problem.isEmpty()) {
            const QString missing = missingExecutable(testCase, tree.directory);
            if (!missing.isEmpty()) {
                cases[i].executable = missing; // names the JUnit suite
                if (cases[i].command.isEmpty()) // what -V and Test.xml say of it
                    cases[i].command = missingCommandLine(tree.directory, cases[i].displayName);
                problem = QStringLiteral("Unable to find executable: %1").arg(missing);
                preset[i].noticeOut = ctest::couldNotFindText(missing).toUtf8();
            }
        }
        if (!problem.isEmpty()) {
            preset[i].status = Status::NotRun;
            preset[i].message = problem;
            preset[i].noticeErr = problem.toUtf8() + '\n';
            isPreset[i] = true;
        }
    }
    Q_EMIT this->loaded(loaded);
}

} // namespace ctestd
