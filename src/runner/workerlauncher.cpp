// SPDX-License-Identifier: BSD-3-Clause
#include "workerlauncher.h"

#include <QProcess>
#include <QVariant>

#include <cstdio>

namespace ctestd {

namespace {

const char LastErrorProperty[] = "ctestdLauncherLastError";

// Runs `program arguments` and writes the key to its stdin.
void startWithKey(QProcess *process, const QString &program, const QStringList &arguments, const QByteArray &key)
{
    process->start(program, arguments);
    // Buffered until the process runs; then the pipe ends, so the worker's
    // stdin is at its end once it has read the key.
    process->write(key.toHex() + '\n');
    process->closeWriteChannel();
}

// A child process of this one, with stdout discarded and stderr shared (the
// daemon's log).
class LocalLauncher : public WorkerLauncher {
public:
    explicit LocalLauncher(const QString &workerProgram)
        : m_workerProgram(workerProgram)
    { }
    QString name() const override { return QStringLiteral("local"); }
    bool isRemote() const override { return false; }
    void start(QProcess *process, const WorkerLaunch &launch) override
    {
        process->setStandardOutputFile(QProcess::nullDevice());
        process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        WorkerLaunch local = launch;
        local.heartbeatSeconds = 0;
        startWithKey(process, m_workerProgram, workerArguments(local), launch.key);
    }

private:
    QString m_workerProgram;
};

// A worker started through another program (ssh, srun, the user's
// template). Its stderr is the launcher's and the worker's: each line is
// passed on prefixed with the source's name, and the last one is kept to
// say why a worker never connected.
class CommandLauncher : public WorkerLauncher {
public:
    CommandLauncher(const QString &name, QStringList command)
        : m_name(name)
        , m_command(std::move(command))
    { }
    QString name() const override { return m_name; }
    bool isRemote() const override { return true; }
    void start(QProcess *process, const WorkerLaunch &launch) override
    {
        process->setStandardOutputFile(QProcess::nullDevice());
        process->setProcessChannelMode(QProcess::SeparateChannels);
        const QString prefix = m_name + QStringLiteral(": ");
        QObject::connect(process, &QProcess::readyReadStandardError, process, [process, prefix] {
            while (process->canReadLine() || process->bytesAvailable() > 4096) {
                const QByteArray line = process->readLine(4096).trimmed();
                if (line.isEmpty())
                    continue;
                process->setProperty(LastErrorProperty, QString::fromUtf8(line));
                std::fprintf(stderr, "%s%s\n", prefix.toUtf8().constData(), line.constData());
            }
        });
        process->setReadChannel(QProcess::StandardError);
        const QStringList command = commandFor(launch);
        startWithKey(process, command.first(), command.mid(1), launch.key);
    }

protected:
    virtual QStringList commandFor(const WorkerLaunch &launch) const = 0;
    QStringList command() const { return m_command; }

private:
    QString m_name;
    QStringList m_command;
};

// `ssh [options] HOST -- 'PROGRAM' 'worker' ...`: ssh joins the words after
// the host into one string for the remote shell, so each is quoted.
class SshLauncher : public CommandLauncher {
public:
    SshLauncher(const QString &host, const QStringList &sshCommand, const QString &workerProgram)
        : CommandLauncher(QStringLiteral("ssh:") + host, sshCommand)
        , m_host(host)
        , m_workerProgram(workerProgram)
    { }

protected:
    QStringList commandFor(const WorkerLaunch &launch) const override
    {
        QStringList remote {shellQuote(m_workerProgram)};
        for (const QString &argument : workerArguments(launch))
            remote.append(shellQuote(argument));
        // -T: no terminal (the key must not echo); BatchMode: fail at once
        // instead of asking for a password nobody will type.
        return command()
            + QStringList {QStringLiteral("-T"), QStringLiteral("-o"), QStringLiteral("BatchMode=yes"), m_host,
                QStringLiteral("--"), remote.join(QLatin1Char(' '))};
    }

private:
    QString m_host;
    QString m_workerProgram;
};

// One `srun` job step per worker: each can be replaced on its own, as a
// local worker is. srun passes stdin to its one task.
class SrunLauncher : public CommandLauncher {
public:
    explicit SrunLauncher(const QString &workerProgram)
        : CommandLauncher(QStringLiteral("srun"), {QStringLiteral("srun")})
        , m_workerProgram(workerProgram)
    { }

protected:
    QStringList commandFor(const WorkerLaunch &launch) const override
    {
        return QStringList {QStringLiteral("srun"), QStringLiteral("--ntasks=1"), QStringLiteral("--quiet"),
                   QStringLiteral("--kill-on-bad-exit=1"), m_workerProgram}
        + workerArguments(launch);
    }

private:
    QString m_workerProgram;
};

// The user's template: {args} becomes the worker's command, one word per
// argument (appended when the template does not say where).
class TemplateLauncher : public CommandLauncher {
public:
    TemplateLauncher(const QStringList &command, const QString &workerProgram)
        : CommandLauncher(QStringLiteral("cmd"), command)
        , m_workerProgram(workerProgram)
    { }

protected:
    QStringList commandFor(const WorkerLaunch &launch) const override
    {
        const QStringList worker = QStringList {m_workerProgram} + workerArguments(launch);
        QStringList result;
        bool placed = false;
        for (const QString &word : command()) {
            if (word == QLatin1String("{args}")) {
                result += worker;
                placed = true;
            } else {
                result.append(word);
            }
        }
        return placed ? result : result + worker;
    }

private:
    QString m_workerProgram;
};

} // namespace

QString WorkerLauncher::lastErrorLine(const QProcess *process)
{
    return process ? process->property(LastErrorProperty).toString() : QString();
}

QStringList workerArguments(const WorkerLaunch &launch)
{
    QStringList arguments {QStringLiteral("worker"), QStringLiteral("--connect"), launch.address,
        QStringLiteral("--key-stdin"), QStringLiteral("--launch-id"), QString::number(launch.launchId)};
    if (launch.heartbeatSeconds > 0)
        arguments += {QStringLiteral("--heartbeat-timeout"), QString::number(launch.heartbeatSeconds)};
    return arguments;
}

QString shellQuote(const QString &text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

std::unique_ptr<WorkerLauncher> makeWorkerLauncher(const WorkerSource &source, const LauncherSettings &settings)
{
    switch (source.engine) {
    case WorkerSource::Engine::Local:
        break;
    case WorkerSource::Engine::Ssh:
        return std::make_unique<SshLauncher>(source.host, settings.sshCommand, settings.workerProgram);
    case WorkerSource::Engine::Srun:
        return std::make_unique<SrunLauncher>(settings.workerProgram);
    case WorkerSource::Engine::Command:
        return std::make_unique<TemplateLauncher>(settings.workerCommand, settings.workerProgram);
    }
    return std::make_unique<LocalLauncher>(settings.workerProgram);
}

} // namespace ctestd
