// SPDX-License-Identifier: BSD-3-Clause
#include "workersources.h"

#include <QRegularExpression>

namespace ctestd {

QString WorkerSource::name() const
{
    switch (engine) {
    case Engine::Local:
        return QStringLiteral("local");
    case Engine::Ssh:
        return QStringLiteral("ssh:") + host;
    case Engine::Srun:
        return QStringLiteral("srun");
    case Engine::Command:
        return QStringLiteral("cmd");
    }
    return {};
}

std::optional<QVector<WorkerSource>> parseWorkerSources(const QString &text, QString *error)
{
    // A host is what ssh accepts on its command line, and nothing that a
    // shell or ssh would read as an option.
    static const QRegularExpression item(
        QStringLiteral("^(local|ssh|srun|cmd)(?::([A-Za-z0-9_.@%-]+))?(?:\\*(\\d+))?$"));
    QVector<WorkerSource> sources;
    for (const QString &part : text.split(QLatin1Char(','))) {
        const QString trimmed = part.trimmed();
        const QRegularExpressionMatch match = item.match(trimmed);
        if (!match.hasMatch()) {
            *error = QStringLiteral("--workers: '%1' is not ENGINE[:HOST][*N] (engines: local, ssh, srun, cmd)")
                         .arg(trimmed);
            return std::nullopt;
        }
        WorkerSource source;
        const QString engine = match.captured(1);
        source.engine = engine == QLatin1String("ssh") ? WorkerSource::Engine::Ssh
            : engine == QLatin1String("srun")          ? WorkerSource::Engine::Srun
            : engine == QLatin1String("cmd")           ? WorkerSource::Engine::Command
                                                       : WorkerSource::Engine::Local;
        source.host = match.captured(2);
        if (source.engine == WorkerSource::Engine::Ssh
            && (source.host.isEmpty() || source.host.startsWith(QLatin1Char('-')))) {
            *error = QStringLiteral("--workers: '%1' needs a host: ssh:HOST[*N]").arg(trimmed);
            return std::nullopt;
        }
        if (source.engine != WorkerSource::Engine::Ssh && !source.host.isEmpty()) {
            *error = QStringLiteral("--workers: '%1': only ssh takes a host").arg(trimmed);
            return std::nullopt;
        }
        if (!match.captured(3).isEmpty()) {
            bool ok = false;
            source.count = match.captured(3).toInt(&ok);
            if (!ok || source.count < 1 || source.count > 4096) {
                *error = QStringLiteral("--workers: '%1': the count must be 1 to 4096").arg(trimmed);
                return std::nullopt;
            }
        }
        sources.append(source);
    }
    return sources;
}

int workerCount(const QVector<WorkerSource> &sources)
{
    int count = 0;
    for (const WorkerSource &source : sources)
        count += source.count;
    return count;
}

} // namespace ctestd
