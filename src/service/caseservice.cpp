// SPDX-License-Identifier: BSD-3-Clause
#include "caseservice.h"

#include "model/logging.h"
#include "protocol/connection.h"
#include "protocol/handshake.h"
#include "protocol/server.h"
#include "runner/grouping.h"
#include "runner/runcontroller.h"
#include "runner/workerreserve.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QThread>

#include <functional>
#include <memory>

namespace ctestd {

namespace {
// Idle means no client connected, no group running and no ctest invocation
// going on.
constexpr int IdleExitMs = 120000;
// How soon the idle exit is tried again while a client is in its handshake.
constexpr int RetryIdleExitMs = 100;
// Tries at learning what a ctest invocation selected.
constexpr int MaxSelectionAttempts = 2;

// The environment as one string: runs with different environments never
// share a process.
QString environmentKey(const QHash<QString, QString> &environment)
{
    QStringList variables;
    variables.reserve(environment.size());
    for (auto it = environment.constBegin(); it != environment.constEnd(); ++it)
        variables.append(it.key() + QLatin1Char('=') + it.value());
    variables.sort();
    return QString::fromLatin1(
        QCryptographicHash::hash(variables.join(QLatin1Char('\0')).toUtf8(), QCryptographicHash::Sha1).toHex());
}

// Hands each final result to the service, which answers the clients
// waiting for it: a group run's only output.
class CaseAnswers final : public RunListener {
public:
    using Answer = std::function<void(const TestCase &, const CaseResult &)>;
    explicit CaseAnswers(Answer answer)
        : m_answer(std::move(answer))
    { }
    void caseFinished(const TestCase &testCase, const CaseResult &result) override { m_answer(testCase, result); }

private:
    Answer m_answer;
};

// Hands a group run's processes to the invocation's bundle.
class ProcessesOfRun final : public RunListener {
public:
    using Ended = std::function<void(const RunEnd &)>;
    explicit ProcessesOfRun(Ended ended)
        : m_ended(std::move(ended))
    { }
    int runFinished(const RunEnd &end, int exitCode) override
    {
        m_ended(end);
        return exitCode;
    }

private:
    Ended m_ended;
};
} // namespace

// A run's name in its invocation's bundle.
QString CaseService::bundleRunId(const RunKey &run)
{
    return QStringList {run.launch, run.alone, QString::number(run.attempt)}.join(QLatin1Char('\x1e'));
}

void CaseService::setWorkerOptions(const RunOptions &options)
{
    m_workerOptions = options;
}

CaseService::CaseService(const ServiceLocation &location, const QString &workerProgram, QIODevice *err, QObject *parent)
    : QObject(parent)
    , m_location(location)
    , m_workerProgram(workerProgram)
    , m_err(err)
{
    // As many idle workers as runs that go on at once, commonly: one per CPU.
    m_workers = new WorkerReserve(qMax(2, QThread::idealThreadCount()), this);
    m_workerIds.plan(qMax(2, QThread::idealThreadCount()));
    m_idleTimer.setSingleShot(true);
    connect(&m_idleTimer, &QTimer::timeout, this, [this] {
        // A client still in its handshake is about to ask: exiting now
        // would leave it to find the daemon gone after it connected.
        if (m_server && m_server->unauthenticatedConnections() > 0) {
            m_idleTimer.start(RetryIdleExitMs);
            return;
        }
        if (m_clients.isEmpty() && m_running.isEmpty() && m_invocations.isEmpty()) {
            // Stop taking connections first, and unname the sockets: a client
            // that connects now finds no daemon and starts the next one, and
            // one already in the backlog is reset before CaseAccepted, so it
            // asks again.
            qCDebug(lcDaemon) << "idle: exiting";
            QFile::remove(m_location.socketNamePath);
            m_server->close();
            Q_EMIT finished(0);
        }
    });
}

CaseService::~CaseService() = default;

bool CaseService::start(bool *alreadyRunning, QString *error)
{
    *alreadyRunning = false;
    if (!QDir().mkpath(m_location.stateDirectory)
        || !QFile::setPermissions(
            m_location.stateDirectory, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner)) {
        *error = QStringLiteral("cannot create %1").arg(m_location.stateDirectory);
        return false;
    }
    // Clients check for a daemon by taking this lock for an instant; wait
    // those out. A daemon holds it for good.
    if (!m_lock.acquire(m_location.serveLockPath, 2000, alreadyRunning, error)) {
        if (*alreadyRunning)
            *error = QStringLiteral("another daemon serves %1").arg(m_location.buildDirectory);
        return false;
    }

    // A fresh key for every daemon, written before it listens: a client that
    // can connect can also read the key (and only the owner can read it).
    const QByteArray key = protocol::generateKey();
    QSaveFile keyFile(m_location.keyPath);
    if (!keyFile.open(QIODevice::WriteOnly) || !keyFile.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        || keyFile.write(key.toHex()) < 0 || !keyFile.commit()) {
        *error = QStringLiteral("cannot write the key file %1: %2").arg(m_location.keyPath, keyFile.errorString());
        return false;
    }
    // A socket a dead predecessor named is gone with its private directory;
    // clients wait for this daemon's name, written once it listens.
    QFile::remove(m_location.socketNamePath);
    m_server = new protocol::Server(key, this);
    connect(m_server, &protocol::Server::connectionReady, this, &CaseService::adopt);
    if (!m_server->listenLocal(error) || !m_server->listenLocalForPeers(error))
        return false;
    const QString socketPath = m_server->address().mid(QStringLiteral("local:").size());
    // Line 1: the socket of the key's handshake (the full client); line 2:
    // the one whose peers the kernel vouches for (the light client).
    QSaveFile nameFile(m_location.socketNamePath);
    if (!nameFile.open(QIODevice::WriteOnly)
        || !nameFile.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        || nameFile.write(QFile::encodeName(socketPath) + '\n' + QFile::encodeName(m_server->peerSocketPath()) + '\n')
            < 0
        || !nameFile.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(m_location.socketNamePath, nameFile.errorString());
        return false;
    }
    qCDebug(lcDaemon).noquote() << "serving" << m_location.buildDirectory << "on" << socketPath;
    scheduleIdleExit();
    return true;
}

void CaseService::adopt(protocol::Connection *client)
{
    m_clients.insert(client);
    m_idleTimer.stop();
    connect(client, &protocol::Connection::messageReceived, this,
        [this, client](const protocol::Message &message) { handleMessage(client, message); });
    connect(client, &protocol::Connection::disconnected, this, [this, client] {
        // A client killed by ctest's TIMEOUT leaves; its group runs on.
        m_clients.remove(client);
        client->deleteLater();
        scheduleIdleExit();
    });
}

void CaseService::handleMessage(protocol::Connection *client, const protocol::Message &message)
{
    QString error;
    if (const auto *parsed = std::get_if<protocol::CaseRequest>(&message.fields)) {
        if (parsed->executableIdentity) {
            // From here on the client waits for the answer, whatever happens.
            client->send({protocol::MessageType::CaseAccepted, {}});
            return request(client, *parsed);
        }
        error = QStringLiteral("it names no build of the executable (exeid)");
        // A client built from an older ctestd than this daemon (ctest does
        // not rebuild it): its reader knows CaseAnswer, so say it there,
        // with what to do.
        protocol::CaseAnswer refusal;
        refusal.status = Status::NotRun;
        refusal.exitCode = 1;
        refusal.note = QStringLiteral("ctestd case: the daemon cannot serve this client's request (%1): the client is "
                                      "older than the daemon; build the test's <target>_ctestd_case target (or the "
                                      "project) again")
                           .arg(error);
        client->send({protocol::MessageType::CaseAnswer, refusal.toCbor()});
    } else {
        error = QStringLiteral("unexpected %1").arg(protocol::messageTypeName(message.type));
    }
    qCWarning(lcDaemon).noquote() << "dropping client" << client->peerDescription() << ":" << error;
    client->close();
}

void CaseService::request(protocol::Connection *client, const protocol::CaseRequest &request)
{
    const InvocationId id {request.invocationPid, request.invocationStart, request.invocationIsCtest};
    const QString key = id.key();
    auto found = m_invocations.find(key);
    if (found == m_invocations.end()) {
        found = m_invocations.insert(key, Invocation {});
        Invocation &invocation = *found;
        invocation.id = id;
        // Ended at once (and then answered so) when the process is gone.
        invocation.watcher = new ProcessEndWatcher(id.pid, id.startTicks, this);
        connect(invocation.watcher, &ProcessEndWatcher::ended, this, [this, key] { invocationEnded(key); });
        if (id.ctest)
            learnSelection(invocation);
    }
    Invocation &invocation = *found;
    if (invocation.learning) {
        invocation.pending.append({client, request});
        return;
    }
    dispatch(invocation, client, request);
}

void CaseService::learnSelection(Invocation &invocation)
{
    const QString key = invocation.id.key();
    ++invocation.selectionAttempts;
    invocation.learning
        = new InvocationSelection(invocation.id.pid, m_location.buildDirectory, m_location.stateDirectory, this);
    connect(invocation.learning, &InvocationSelection::finished, this,
        [this, key](bool known, const CtestSelection &selection, const QString &why) {
            selectionLearned(key, known, selection, why);
        });
    invocation.learning->start();
}

void CaseService::selectionLearned(const QString &key, bool known, const CtestSelection &selection, const QString &why)
{
    const auto found = m_invocations.find(key);
    if (found == m_invocations.end())
        return;
    Invocation &invocation = *found;
    invocation.learning->deleteLater();
    invocation.learning = nullptr;
    if (!known && invocation.selectionAttempts < MaxSelectionAttempts) {
        // Once more: a listing can fail for a passing reason, and without
        // one every case of the invocation costs a process of its own.
        qCWarning(lcDaemon).noquote() << "learning the selection of ctest" << invocation.id.pid << "again:" << why;
        return learnSelection(invocation);
    }
    invocation.selectionKnown = known;
    invocation.selection = selection;
    if (!known)
        qCWarning(lcDaemon).noquote() << "each case of ctest" << invocation.id.pid << "runs on its own:" << why;
    const QVector<PendingRequest> pending = std::exchange(invocation.pending, {});
    for (const PendingRequest &waiting : pending) {
        if (waiting.client)
            dispatch(invocation, waiting.client, waiting.request);
    }
    runAhead(invocation);
}

CaseService::RunKey CaseService::runKey(
    const Invocation &invocation, const protocol::CaseRequest &request, const QString &identity) const
{
    // Everything that decides how a run's process is started is part of the
    // run's identity, so is the executable file as it is on disk now (a
    // rebuild makes a new one), and the invocation: a case is answered only
    // by a run of the build its client sees, started for its own ctest
    // invocation.
    RunKey key;
    key.invocation = invocation.id.key();
    key.launch = QStringList {caseGroupKey(request), identity, request.workingDirectory,
        environmentKey(request.environment), request.launcher.join(QLatin1Char('\x1e'))}
                     .join(QLatin1Char('\x1f'));
    return key;
}

void CaseService::runAhead(Invocation &invocation)
{
    // ctest runs up to -j tests at once, and with the module those of one
    // group mostly wait on the same run: while they do, the next selected
    // groups can run. Never more at once than ctest's -j, counting the runs
    // clients are waiting on, and only groups ctest is bound to ask for.
    int running = 0;
    for (const RunKey &run : qAsConst(invocation.runs))
        running += m_running.contains(run) ? 1 : 0;
    for (const protocol::CaseRequest &listed : qAsConst(invocation.selection.ahead)) {
        if (running >= invocation.selection.parallel)
            return;
        const QString group = caseGroupKey(listed);
        if (invocation.aheadTried.contains(group))
            continue;
        // A client that ctest started alike tells the environment and
        // directory; until one asks, the group waits.
        const auto first = invocation.firstRequests.constFind(invocation.selection.launches.value(group));
        if (first == invocation.firstRequests.constEnd())
            continue;
        invocation.aheadTried.insert(group);
        protocol::CaseRequest request = listed;
        request.workingDirectory = first->workingDirectory;
        request.environment = first->environment;
        const QString identity = executableIdentity(request.executable);
        const RunKey run = runKey(invocation, request, identity);
        if (invocation.runs.contains(run))
            continue; // a client asked first
        invocation.runs.insert(run);
        qCDebug(lcDaemon).noquote() << "running group" << request.group << "ahead of its clients";
        startRun(run, request, identity, invocation.selection.groups.value(group));
        ++running;
    }
}

void CaseService::dispatch(Invocation &invocation, protocol::Connection *client, const protocol::CaseRequest &request)
{
    // CTESTD_ARCHIVE: keep this invocation's results (the client checked the name).
    if (!invocation.bundle && invocation.id.ctest) {
        const QString archive = request.environment.value(QStringLiteral("CTESTD_ARCHIVE"));
        if (!archive.isEmpty()) {
            invocation.bundle
                = std::make_shared<InvocationBundle>(archive, m_location.buildDirectory, invocation.id.pid);
        }
    }
    const QString group = caseGroupKey(request);
    const int attempt = invocation.asked[group + QLatin1Char('\x1d') + request.selector]++;
    if (const QString launch = invocation.selection.launches.value(group);
        !launch.isEmpty() && !invocation.firstRequests.contains(launch))
        invocation.firstRequests.insert(launch, request);
    // The build the client saw when it started: a file replaced or removed
    // since is not what it asked about.
    const QString identity = request.executableIdentity.value_or(QString());
    RunKey run = runKey(invocation, request, identity);
    QSet<QString> selectors {request.selector};
    const QSet<QString> selectedOfGroup = invocation.selection.groups.value(group);
    if (attempt == 0 && selectedOfGroup.contains(request.selector)) {
        // The first time: the whole selection of the group runs together.
        selectors = selectedOfGroup;
    } else {
        // Asked again (ctest --repeat), or of a selection ctestd could not
        // learn: this case alone, a run of its own.
        run.alone = request.selector;
        run.attempt = attempt;
        if (attempt == 0 && invocation.selectionKnown) {
            // ctest runs a test it did not list: say so, it costs a process.
            qCWarning(lcDaemon).noquote()
                << "ctest" << invocation.id.pid << "asked for" << request.selector
                << "which its listing did not select (" << invocation.selection.groups.size()
                << "groups selected, this one has" << selectedOfGroup.size() << "cases); it runs on its own";
        }
    }

    const auto results = m_results.constFind(run);
    if (results != m_results.constEnd()) {
        const auto known = results->constFind(request.selector);
        if (known != results->constEnd())
            return answer(client, request.selector, *known);
    }
    m_waiters[run].append({client, request.selector});
    if (invocation.runs.contains(run)) {
        if (!m_running.contains(run))
            groupFinished(run); // over without this case: say so
        return;
    }
    invocation.runs.insert(run);
    startRun(run, request, identity, selectors);
    runAhead(invocation);
}

void CaseService::startRun(
    const RunKey &run, const protocol::CaseRequest &request, const QString &identity, const QSet<QString> &selectors)
{
    // Running from here on, while its executable is listed (or found listed).
    m_running.insert(run, nullptr);
    m_listings.fetch(request.executable, request.framework, m_workerOptions.launcher + request.launcher, identity,
        selectors, [this, run, request, selectors](const DiscoveredExecutable &listed) {
            if (!m_invocations.contains(run.invocation)) {
                // Its invocation ended meanwhile: nobody waits.
                m_running.remove(run);
                return scheduleIdleExit();
            }
            startController(run, request, selectors, listed);
        });
}

void CaseService::startController(const RunKey &run, const protocol::CaseRequest &request,
    const QSet<QString> &selectors, const DiscoveredExecutable &listed)
{
    RunOptions options;
    options.listed = listed;
    options.executables = QStringList {request.executable};
    options.framework = request.framework;
    options.groupBySet = groupByFromName(request.groupBy, &options.groupBy);
    options.onlyGroup = request.group;
    options.onlySelectors = selectors;
    options.workingDirectory = request.workingDirectory;
    options.extraArguments = request.extraArguments;
    for (auto it = request.environment.constBegin(); it != request.environment.constEnd(); ++it)
        options.environment.append(it.key() + QLatin1Char('=') + it.value());
    options.environmentComplete = true;
    options.timeoutSeconds = request.timeoutSeconds;
    options.jobs = 1;
    options.workerProgram = m_workerProgram;
    options.workerReserve = m_workers;
    options.workerIds = &m_workerIds;
    options.worker = m_workerOptions.worker;
    // The daemon's own --launcher (CTESTD_LAUNCHER, ctestd.ini) in front of
    // the registration's, as --launcher goes in front of a build tree's command.
    options.launcher = m_workerOptions.launcher + request.launcher;
    std::shared_ptr<InvocationBundle> bundle;
    if (const auto invocation = m_invocations.find(run.invocation); invocation != m_invocations.end()) {
        invocation->groupOfLaunch.insert(run.launch, caseGroupKey(request));
        bundle = invocation->bundle;
        if (bundle)
            options.artifactRoot = bundle->artifactRoot();
    }
    auto *controller = new RunController(options, nullptr, m_err, this);
    m_running[run] = controller;
    controller->addListener(std::make_unique<CaseAnswers>(
        [this, run](const TestCase &testCase, const CaseResult &result) { caseCompleted(run, testCase, result); }));
    if (bundle) {
        // The processes, for --durations and the artifacts' folders.
        const QString id = bundleRunId(run);
        controller->addListener(
            std::make_unique<ProcessesOfRun>([bundle, id](const RunEnd &end) { bundle->addProcesses(id, end); }));
    }
    connect(controller, &RunController::finished, this, [this, run] { groupFinished(run); });
    qCDebug(lcDaemon).noquote() << "running" << selectors.size() << "case(s) of group" << request.group << "of"
                                << request.executable;
    controller->start();
}

void CaseService::invocationEnded(const QString &key)
{
    const auto found = m_invocations.find(key);
    if (found == m_invocations.end())
        return;
    const Invocation invocation = *found;
    m_invocations.erase(found);
    qCDebug(lcDaemon).noquote() << "invocation" << key << "ended;" << invocation.runs.size() << "run(s) to drop";
    if (invocation.bundle) {
        for (const CtestSelection::DisabledTest &test : invocation.selection.disabled)
            invocation.bundle->addDisabled(test.name, test.executable, test.position);
        QString error;
        if (!invocation.bundle->write(&error)) {
            m_err->write(QStringLiteral("ctestd serve: cannot write the bundle %1: %2\n")
                             .arg(invocation.bundle->path(), error)
                             .toUtf8());
        }
    }
    invocation.watcher->deleteLater();
    if (invocation.learning)
        invocation.learning->deleteLater();
    // Nothing outlives the invocation that asked for it: whoever still waits
    // (a client ctest left behind) learns why, and runs stop.
    CaseResult ended;
    ended.status = Status::NotRun;
    ended.message = QStringLiteral("ctestd: the ctest invocation that asked for this case has ended");
    for (const PendingRequest &waiting : invocation.pending) {
        if (waiting.client)
            answer(waiting.client, waiting.request.selector, ended);
    }
    for (const RunKey &run : invocation.runs) {
        for (const Waiter &waiter : m_waiters.take(run)) {
            if (waiter.client)
                answer(waiter.client, waiter.selector, ended);
        }
        m_results.remove(run);
        m_runErrors.remove(run);
        if (RunController *controller = m_running.value(run)) {
            qCDebug(lcDaemon) << "stopping a run its invocation no longer waits for";
            controller->abandon();
        }
    }
    scheduleIdleExit();
}

void CaseService::caseCompleted(const RunKey &run, const TestCase &testCase, const CaseResult &result)
{
    // A run its invocation left is stopping: nobody will ask.
    if (!m_invocations.contains(run.invocation))
        return;
    if (testCase.selector.isEmpty()) {
        // The executable could not be listed (missing, not a test program):
        // that is the answer for every case waiting on this run.
        m_runErrors.insert(run, result);
        return;
    }
    m_results[run].insert(testCase.selector, result);
    if (Invocation &invocation = m_invocations[run.invocation]; invocation.bundle) {
        const QPair<QString, int> test = invocation.selection.tests.value(
            invocation.groupOfLaunch.value(run.launch) + QLatin1Char('\x1d') + testCase.selector);
        invocation.bundle->addCase(bundleRunId(run), testCase, result, test.first, test.second);
    }
    QVector<Waiter> &waiters = m_waiters[run];
    for (auto it = waiters.begin(); it != waiters.end();) {
        if (it->selector != testCase.selector) {
            ++it;
            continue;
        }
        if (it->client)
            answer(it->client, testCase.selector, result);
        it = waiters.erase(it);
    }
    if (waiters.isEmpty())
        m_waiters.remove(run);
}

void CaseService::groupFinished(const RunKey &run)
{
    if (RunController *controller = m_running.take(run))
        controller->deleteLater();
    qCDebug(lcDaemon) << "group run finished;" << m_running.size() << "running," << m_clients.size() << "clients";
    // Whoever still waits on this run asked for a case the group does not
    // have (a stale registration), or the run could not list the
    // executable: say so instead of leaving it hanging.
    const CaseResult runError = m_runErrors.value(run);
    for (const Waiter &waiter : m_waiters.take(run)) {
        CaseResult missing = runError;
        missing.status = Status::NotRun;
        if (missing.message.isEmpty()) {
            missing.message = QStringLiteral("ctestd: the executable has no case '%1' in this fixture group; "
                                             "rebuild so the test list is discovered again")
                                  .arg(waiter.selector);
        }
        if (waiter.client)
            answer(waiter.client, waiter.selector, missing);
    }
    // Its slot is free for a group ahead.
    const auto invocation = m_invocations.find(run.invocation);
    if (invocation != m_invocations.end())
        runAhead(*invocation);
    scheduleIdleExit();
}

void CaseService::answer(protocol::Connection *client, const QString &selector, const CaseResult &result)
{
    protocol::CaseAnswer answer;
    answer.selector = selector;
    answer.status = result.status;
    answer.seconds = result.seconds;
    answer.message = result.message;
    answer.reason = result.reason;
    answer.signal = result.signal;
    answer.output = result.stdOut + result.stdErr;
    switch (result.status) {
    case Status::Passed:
        answer.exitCode = 0;
        break;
    case Status::Skipped:
    case Status::Disabled:
        answer.exitCode = protocol::CaseSkipExitCode;
        break;
    default:
        answer.exitCode = 1;
        break;
    }
    if (isFailure(result.status) || !result.message.isEmpty()) {
        answer.note = QStringLiteral("ctestd: %1 %2%3")
                          .arg(selector, ctestWords(result).resultField.trimmed(),
                              result.message.isEmpty() ? QString() : QStringLiteral(": ") + result.message);
    }
    client->send({protocol::MessageType::CaseAnswer, answer.toCbor()});
}

void CaseService::scheduleIdleExit()
{
    qCDebug(lcDaemon) << "idle check:" << m_running.size() << "running," << m_clients.size() << "clients,"
                      << m_invocations.size() << "invocations";
    if (m_clients.isEmpty() && m_running.isEmpty() && m_invocations.isEmpty())
        m_idleTimer.start(IdleExitMs);
}

} // namespace ctestd
