// SPDX-License-Identifier: BSD-3-Clause
#include "invocation.h"

#include "cli/options.h"
#include "model/logging.h"
#include "servicelocation.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSocketNotifier>
#include <QThread>

#include <cerrno>
#include <csignal>
#include <optional>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace ctestd {

namespace {
constexpr int MaxAncestors = 32;
constexpr int SelectionTimeoutMs = 60000;
constexpr int PollMs = 250;

// The fields of /proc/<pid>/stat after the command name, which may itself
// hold spaces and parentheses; index 0 is field 3 (the state).
QList<QByteArray> statFields(qint64 pid, QByteArray *command)
{
    QFile file(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray text = file.readAll();
    const int open = text.indexOf('(');
    const int close = text.lastIndexOf(')');
    if (open < 0 || close < open)
        return {};
    if (command)
        *command = text.mid(open + 1, close - open - 1);
    return text.mid(close + 2).split(' ');
}

QByteArray procFile(qint64 pid, const char *name)
{
    QFile file(QStringLiteral("/proc/%1/%2").arg(pid).arg(QLatin1String(name)));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QStringList nulSeparated(const QByteArray &data)
{
    QStringList list;
    for (const QByteArray &part : data.split('\0')) {
        if (!part.isEmpty())
            list.append(QString::fromLocal8Bit(part));
    }
    return list;
}
} // namespace

QString InvocationId::key() const
{
    return QStringLiteral("%1:%2:%3")
        .arg(ctest ? QLatin1String("ctest") : QLatin1String("single"))
        .arg(pid)
        .arg(startTicks);
}

QString executableIdentity(const QString &path)
{
    struct stat info;
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return QString();
    return QStringLiteral("%1:%2:%3:%4.%5")
        .arg(quint64(info.st_dev))
        .arg(quint64(info.st_ino))
        .arg(qint64(info.st_size))
        .arg(qint64(info.st_mtim.tv_sec))
        .arg(qint64(info.st_mtim.tv_nsec), 9, 10, QLatin1Char('0'));
}

qint64 processStartTicks(qint64 pid)
{
    const QList<QByteArray> fields = statFields(pid, nullptr);
    bool ok = false;
    const qint64 ticks = fields.value(19).toLongLong(&ok);
    return ok ? ticks : -1;
}

InvocationId currentInvocation()
{
    // ctest's own name, as the kernel keeps it (the file it ran, at most 15
    // bytes): ctest, or a versioned ctest3.
    static const QRegularExpression ctestName(QStringLiteral("^ctest[0-9.]*$"));
    qint64 pid = ::getppid();
    for (int depth = 0; depth < MaxAncestors && pid > 1; ++depth) {
        QByteArray command;
        const QList<QByteArray> fields = statFields(pid, &command);
        if (fields.size() < 20)
            break;
        if (ctestName.match(QString::fromLocal8Bit(command)).hasMatch())
            return {pid, fields.value(19).toLongLong(), true};
        pid = fields.value(1).toLongLong();
    }
    const qint64 self = ::getpid();
    return {self, processStartTicks(self), false};
}

QString caseGroupKey(const protocol::CaseRequest &request)
{
    return QStringList {request.executable, request.framework, request.groupBy, request.group,
        request.extraArguments.join(QLatin1Char('\x1e')), QString::number(request.timeoutSeconds)}
        .join(QLatin1Char('\x1f'));
}

ProcessEndWatcher::ProcessEndWatcher(qint64 pid, qint64 startTicks, QObject *parent)
    : QObject(parent)
    , m_pid(pid)
    , m_startTicks(startTicks)
{
#ifdef SYS_pidfd_open
    m_pidfd = int(::syscall(SYS_pidfd_open, pid_t(pid), 0));
#endif
    if (m_pidfd >= 0) {
        // Readable once the process has ended.
        m_notifier = new QSocketNotifier(m_pidfd, QSocketNotifier::Read, this);
        connect(m_notifier, &QSocketNotifier::activated, this, [this] {
            m_pid = 0; // readable means ended, zombie or not
            check();
        });
    } else {
        m_poll.setInterval(PollMs);
        connect(&m_poll, &QTimer::timeout, this, &ProcessEndWatcher::check);
        m_poll.start();
    }
    // Checked once the pidfd is open, so an end in between is not missed,
    // and a PID that already belongs to another process is seen as ended.
    QMetaObject::invokeMethod(this, &ProcessEndWatcher::check, Qt::QueuedConnection);
}

ProcessEndWatcher::~ProcessEndWatcher()
{
    if (m_pidfd >= 0)
        ::close(m_pidfd);
}

void ProcessEndWatcher::check()
{
    if (m_ended)
        return;
    if (m_pid > 0) {
        // A zombie has ended too, though its parent has not reaped it yet.
        const QList<QByteArray> fields = statFields(m_pid, nullptr);
        if (fields.size() >= 20 && fields[19].toLongLong() == m_startTicks && fields[0] != "Z" && fields[0] != "X")
            return;
    }
    m_ended = true;
    if (m_notifier)
        m_notifier->setEnabled(false);
    m_poll.stop();
    Q_EMIT ended();
}

QString ctestTestDirectory(qint64 pid, const QString &buildDirectory)
{
    // ctest changes into --test-dir, and for moments into a test's
    // directory while it runs tests, so its working directory does not
    // tell. The log it keeps open for the whole run does. It may also hold
    // the log of a ctest above it (one whose test started this ctest: the
    // descriptor is inherited), so the one that counts is in this build
    // tree: the tree itself, or a directory of it ctest was run in.
    static const QString log = QStringLiteral("/Testing/Temporary/LastTest.log.tmp");
    // Descriptors name real paths: so must the tree.
    const QString canonical = QFileInfo(buildDirectory).canonicalFilePath();
    const QString tree = canonical.isEmpty() ? QDir::cleanPath(buildDirectory) : canonical;
    const QDir descriptors(QStringLiteral("/proc/%1/fd").arg(pid));
    QString best;
    for (const QString &fd : descriptors.entryList(QDir::Files | QDir::System | QDir::NoDotAndDotDot)) {
        const QString target = QFile::symLinkTarget(descriptors.filePath(fd));
        if (!target.endsWith(log))
            continue;
        const QString directory = target.left(target.size() - log.size());
        const bool inTree = directory == tree || directory.startsWith(tree + QLatin1Char('/'));
        if (inTree && directory.size() > best.size())
            best = directory;
    }
    return best;
}

QStringList ctestSelectionArguments(const QStringList &arguments, QString *unsupported)
{
    // Options that select tests, with their value: passed on.
    static const QStringList selectingWithValue {QStringLiteral("-R"), QStringLiteral("--tests-regex"),
        QStringLiteral("-E"), QStringLiteral("--exclude-regex"), QStringLiteral("-L"), QStringLiteral("--label-regex"),
        QStringLiteral("-LE"), QStringLiteral("--label-exclude"), QStringLiteral("-I"),
        QStringLiteral("--tests-information"), QStringLiteral("-FA"), QStringLiteral("--fixture-exclude-any"),
        QStringLiteral("-FS"), QStringLiteral("--fixture-exclude-setup"), QStringLiteral("-FC"),
        QStringLiteral("--fixture-exclude-cleanup"), QStringLiteral("-C"), QStringLiteral("--build-config"),
        QStringLiteral("--tests-from-file"), QStringLiteral("--exclude-from-file")};
    static const QStringList fileValues {QStringLiteral("--tests-from-file"), QStringLiteral("--exclude-from-file")};
    static const QStringList selectingFlags {
        QStringLiteral("-U"), QStringLiteral("--union"), QStringLiteral("--rerun-failed")};
    // Options that change how tests run or report, not which: dropped.
    static const QStringList harmlessWithValue {QStringLiteral("--timeout"), QStringLiteral("--repeat"),
        QStringLiteral("--repeat-until-fail"), QStringLiteral("--test-load"), QStringLiteral("-O"),
        QStringLiteral("--output-log"), QStringLiteral("--output-junit"), QStringLiteral("--max-width"),
        QStringLiteral("-W"), QStringLiteral("--test-output-size-passed"), QStringLiteral("--test-output-size-failed"),
        QStringLiteral("--test-output-truncation"), QStringLiteral("--interactive-debug-mode"),
        QStringLiteral("--resource-spec-file"), QStringLiteral("--stop-time")};
    static const QStringList harmlessFlags {QStringLiteral("-V"), QStringLiteral("--verbose"), QStringLiteral("-VV"),
        QStringLiteral("--extra-verbose"), QStringLiteral("--output-on-failure"), QStringLiteral("-Q"),
        QStringLiteral("--quiet"), QStringLiteral("--progress"), QStringLiteral("--stop-on-failure"),
        QStringLiteral("--schedule-random"), QStringLiteral("--no-label-summary"),
        QStringLiteral("--no-subproject-summary"), QStringLiteral("--force-new-ctest-process"),
        QStringLiteral("--debug"), QStringLiteral("--no-compress-output"), QStringLiteral("--timeout-after-match")};
    static const QRegularExpression parallel(QStringLiteral("^(-j|--parallel)(=?[0-9]*)$"));
    static const QRegularExpression count(QStringLiteral("^[0-9]+$"));
    static const QRegularExpression joined(QStringLiteral("^(--[a-z-]+)=(.*)$"));

    unsupported->clear();
    QStringList selection;
    for (int i = 1; i < arguments.size(); ++i) { // [0] is the program
        QString argument = arguments[i];
        QString attached;
        bool hasAttached = false;
        if (const auto match = joined.match(argument); match.hasMatch()) {
            argument = match.captured(1);
            attached = match.captured(2);
            hasAttached = true;
        }
        const auto takeValue = [&](QString *value) {
            if (hasAttached) {
                *value = attached;
                return true;
            }
            if (i + 1 >= arguments.size())
                return false;
            *value = arguments[++i];
            return true;
        };
        QString value;
        if (argument == QLatin1String("--test-dir")) {
            // The tree is found otherwise (ctestTestDirectory()).
            if (!takeValue(&value)) {
                *unsupported = argument;
                return {};
            }
        } else if (selectingWithValue.contains(argument)) {
            // A relative file name is relative to where ctest started,
            // which nothing tells any more.
            if (!takeValue(&value) || (fileValues.contains(argument) && !QDir::isAbsolutePath(value))) {
                *unsupported = argument;
                return {};
            }
            selection << argument << value;
        } else if (selectingFlags.contains(argument) && !hasAttached) {
            selection << argument;
        } else if (harmlessWithValue.contains(argument)) {
            if (!takeValue(&value)) {
                *unsupported = argument;
                return {};
            }
        } else if (harmlessFlags.contains(argument) && !hasAttached) {
            continue;
        } else if (argument.startsWith(QLatin1String("--no-tests")) && hasAttached) {
            continue;
        } else if (parallel.match(arguments[i]).hasMatch()) {
            // -j, -j8, -j 8, --parallel 8: the number is optional.
            if (i + 1 < arguments.size() && count.match(arguments[i + 1]).hasMatch())
                ++i;
        } else {
            // Dashboard modes (-D, -T, -S, -M), scripts, presets (which
            // name their own tree and filters), and whatever this list does
            // not know: better no selection than a wrong one.
            *unsupported = arguments[i];
            return {};
        }
    }
    return selection;
}

int ctestParallelLevel(const QStringList &arguments, const QString &environmentLevel)
{
    static const QRegularExpression parallel(QStringLiteral("^(-j|--parallel)=?([0-9]*)$"));
    static const QRegularExpression count(QStringLiteral("^[0-9]+$"));
    std::optional<int> level;
    for (int i = 1; i < arguments.size(); ++i) {
        const auto match = parallel.match(arguments[i]);
        if (!match.hasMatch())
            continue;
        QString number = match.captured(2);
        if (number.isEmpty() && i + 1 < arguments.size() && count.match(arguments[i + 1]).hasMatch())
            number = arguments[++i];
        level = number.isEmpty() ? QThread::idealThreadCount() : number.toInt();
    }
    if (!level && count.match(environmentLevel).hasMatch())
        level = environmentLevel.toInt();
    return qMax(1, level.value_or(1));
}

bool parseSelectedCases(
    const QByteArray &json, const QString &buildDirectory, CtestSelection *selection, QString *error)
{
    // Properties by which ctest orders a test against others or may leave
    // it out: such a group runs only when a client asks.
    static const QStringList ordering {QStringLiteral("DEPENDS"), QStringLiteral("FIXTURES_REQUIRED"),
        QStringLiteral("FIXTURES_SETUP"), QStringLiteral("FIXTURES_CLEANUP"), QStringLiteral("RESOURCE_LOCK"),
        QStringLiteral("RESOURCE_GROUPS"), QStringLiteral("RUN_SERIAL"), QStringLiteral("PROCESSORS")};
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (!document.isObject()) {
        *error = QStringLiteral("ctest --show-only=json-v1 printed no JSON document: %1").arg(parseError.errorString());
        return false;
    }
    const QString tree = serviceLocation(buildDirectory).buildDirectory;
    const QJsonArray tests = document.object().value(QStringLiteral("tests")).toArray();
    // Properties by which ctest sets up a test's environment and directory.
    static const QStringList launching {
        QStringLiteral("ENVIRONMENT"), QStringLiteral("ENVIRONMENT_MODIFICATION"), QStringLiteral("WORKING_DIRECTORY")};
    QStringList order; // group keys, as first listed
    QHash<QString, protocol::CaseRequest> first;
    QSet<QString> onDemand;
    for (const QJsonValue &test : tests) {
        const QJsonObject object = test.toObject();
        bool disabled = false;
        bool ordered = false;
        QJsonArray launch;
        for (const QJsonValue &property : object.value(QStringLiteral("properties")).toArray()) {
            const QJsonObject pair = property.toObject();
            const QString name = pair.value(QStringLiteral("name")).toString();
            if (launching.contains(name))
                launch.append(pair);
            const QJsonValue value = pair.value(QStringLiteral("value"));
            if (name == QLatin1String("DISABLED"))
                disabled = value.toBool();
            // RUN_SERIAL OFF and PROCESSORS 1 change nothing.
            if (ordering.contains(name)
                && !((name == QLatin1String("RUN_SERIAL") && !value.toBool())
                    || (name == QLatin1String("PROCESSORS") && value.toInt() <= 1)))
                ordered = true;
        }
        QStringList arguments;
        for (const QJsonValue &word : object.value(QStringLiteral("command")).toArray())
            arguments.append(word.toString());
        // `ctestd case <options>`; other tests of the tree are not ours.
        if (arguments.size() < 2 || arguments[1] != QLatin1String("case"))
            continue;
        const CommandLine line = parseCommandLine(arguments.mid(1));
        if (line.command != Command::Case || !line.error.isEmpty()
            || serviceLocation(line.buildDirectory).buildDirectory != tree)
            continue;
        if (disabled) {
            // ctest reports it without running it; a bundle does the same.
            selection->disabled.append({object.value(QStringLiteral("name")).toString(), line.caseRequest.executable,
                int(selection->tests.size() + selection->disabled.size()) + 1});
            continue;
        }
        const QString group = caseGroupKey(line.caseRequest);
        selection->groups[group].insert(line.caseRequest.selector);
        selection->tests.insert(group + QLatin1Char('\x1d') + line.caseRequest.selector,
            {object.value(QStringLiteral("name")).toString(),
                int(selection->tests.size() + selection->disabled.size()) + 1});
        if (!first.contains(group)) {
            first.insert(group, line.caseRequest);
            order.append(group);
        }
        if (ordered)
            onDemand.insert(group);
        // Tests that ctest starts alike get the same environment and
        // directory; a group whose tests differ in that has no one launch.
        launch.append(line.caseRequest.workingDirectory);
        const QString signature = QString::fromUtf8(QJsonDocument(launch).toJson(QJsonDocument::Compact));
        const auto known = selection->launches.constFind(group);
        if (known == selection->launches.constEnd())
            selection->launches.insert(group, signature);
        else if (*known != signature)
            onDemand.insert(group);
    }
    for (const QString &group : qAsConst(onDemand))
        selection->launches.remove(group);
    for (const QString &group : qAsConst(order)) {
        if (!onDemand.contains(group))
            selection->ahead.append(first.value(group));
    }
    return true;
}

InvocationSelection::InvocationSelection(
    qint64 ctestPid, const QString &buildDirectory, const QString &scratchParent, QObject *parent)
    : QObject(parent)
    , m_pid(ctestPid)
    , m_buildDirectory(buildDirectory)
    , m_scratchParent(scratchParent)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        fail(QStringLiteral("ctest --show-only=json-v1 took longer than %1 s").arg(SelectionTimeoutMs / 1000));
        m_process.kill();
    });
}

void InvocationSelection::fail(const QString &why)
{
    if (m_done)
        return;
    m_done = true;
    m_timer.stop();
    Q_EMIT finished(false, {}, why);
}

void InvocationSelection::start()
{
    const QStringList arguments = nulSeparated(procFile(m_pid, "cmdline"));
    const QString program = QFile::symLinkTarget(QStringLiteral("/proc/%1/exe").arg(m_pid));
    if (arguments.isEmpty() || program.isEmpty() || !QFileInfo(program).isExecutable())
        return fail(QStringLiteral("cannot read ctest's (pid %1) command line").arg(m_pid));
    const QString tree = ctestTestDirectory(m_pid, m_buildDirectory);
    if (tree.isEmpty())
        return fail(QStringLiteral("cannot tell which tree ctest (pid %1) runs: it holds no "
                                   "Testing/Temporary/LastTest.log.tmp open in %2")
                        .arg(m_pid)
                        .arg(m_buildDirectory));
    QString unsupported;
    QStringList listArguments = ctestSelectionArguments(arguments, &unsupported);
    if (!unsupported.isEmpty())
        return fail(QStringLiteral("ctest's argument '%1' is not one ctestd can repeat to learn the selection")
                        .arg(unsupported));

    // The scratch tree: subdirs() of the real one, so ctest reads the same
    // tests (and numbers them alike, for -I) but writes its own Testing/.
    m_scratch = std::make_unique<QTemporaryDir>(m_scratchParent + QStringLiteral("/selection-XXXXXX"));
    if (!m_scratch->isValid())
        return fail(QStringLiteral("cannot create a scratch directory: %1").arg(m_scratch->errorString()));
    QString level = QStringLiteral("=");
    while (tree.contains(QLatin1Char(']') + level + QLatin1Char(']')))
        level += QLatin1Char('=');
    QFile testfile(m_scratch->filePath(QStringLiteral("CTestTestfile.cmake")));
    if (!testfile.open(QIODevice::WriteOnly)
        || testfile.write(QStringLiteral("subdirs([%1[%2]%1])\n").arg(level, tree).toUtf8()) < 0) {
        return fail(QStringLiteral("cannot write %1: %2").arg(testfile.fileName(), testfile.errorString()));
    }
    testfile.close();
    if (listArguments.contains(QLatin1String("--rerun-failed"))) {
        // What failed last time in the real tree.
        const QString failed = QStringLiteral("/Testing/Temporary/LastTestsFailed.log");
        QDir().mkpath(m_scratch->filePath(QStringLiteral("Testing/Temporary")));
        QFile::copy(tree + failed, m_scratch->path() + failed);
    }

    QProcessEnvironment environment;
    for (const QString &variable : nulSeparated(procFile(m_pid, "environ"))) {
        const int equals = variable.indexOf(QLatin1Char('='));
        if (equals > 0)
            environment.insert(variable.left(equals), variable.mid(equals + 1));
    }
    m_process.setProcessEnvironment(environment);
    m_parallel = ctestParallelLevel(arguments, environment.value(QStringLiteral("CTEST_PARALLEL_LEVEL")));
    m_stopOnFailure = arguments.contains(QLatin1String("--stop-on-failure"));
    m_process.setWorkingDirectory(m_scratch->path());
    m_process.setStandardInputFile(QProcess::nullDevice());
    connect(&m_process, &QProcess::errorOccurred, this, [this, program](QProcess::ProcessError processError) {
        if (processError == QProcess::FailedToStart)
            fail(QStringLiteral("cannot run %1: %2").arg(program, m_process.errorString()));
    });
    connect(&m_process, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus status) {
        if (m_done)
            return;
        if (status != QProcess::NormalExit || exitCode != 0) {
            return fail(QStringLiteral("ctest --show-only=json-v1 failed: %1")
                            .arg(QString::fromLocal8Bit(m_process.readAllStandardError()).trimmed()));
        }
        CtestSelection selection;
        QString error;
        const QByteArray json = m_process.readAllStandardOutput();
        if (!parseSelectedCases(json, m_buildDirectory, &selection, &error))
            return fail(error);
        if (selection.groups.isEmpty()) {
            // A client of this tree asked, so ctest runs at least one of its
            // cases: a listing without any is not one to trust.
            return fail(QStringLiteral("ctest --show-only=json-v1 listed none of this tree's cases "
                                       "(%1 bytes of output; stderr: %2)")
                            .arg(json.size())
                            .arg(QString::fromLocal8Bit(m_process.readAllStandardError()).trimmed()));
        }
        selection.parallel = m_parallel;
        if (m_stopOnFailure)
            selection.ahead.clear(); // what ctest will ask for ends at the first failure
        m_done = true;
        m_timer.stop();
        Q_EMIT finished(true, selection, QString());
    });
    listArguments.append(QStringLiteral("--show-only=json-v1"));
    qCDebug(lcDaemon).noquote() << "learning ctest" << m_pid << "'s selection:" << program << listArguments.join(u' ')
                                << "on" << tree;
    m_timer.start(SelectionTimeoutMs);
    m_process.start(program, listArguments);
}

} // namespace ctestd
