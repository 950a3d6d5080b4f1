// SPDX-License-Identifier: BSD-3-Clause
#include "listingcache.h"

#include "model/logging.h"

#include <QTimer>

#include <algorithm>

namespace ctestd {

namespace {
// How long a listing may take, as for `ctestd run`.
constexpr double ListingTimeoutSeconds = 60;
} // namespace

ListingCache::ListingCache(QObject *parent)
    : QObject(parent)
{ }

void ListingCache::fetch(const QString &executable, const QString &framework, const QStringList &launcher,
    const QString &identity, const QSet<QString> &selectors, Callback done)
{
    const QString key
        = QStringList {executable, framework, launcher.join(QLatin1Char('\x1e'))}.join(QLatin1Char('\x1f'));
    Entry &entry = m_entries[key];
    if (!identity.isEmpty() && entry.identity == identity) {
        if (entry.listing) {
            entry.waiting.append({selectors, std::move(done)});
        } else {
            const DiscoveredExecutable cases = restricted(entry, selectors);
            QTimer::singleShot(0, this, [done = std::move(done), cases] { done(cases); });
        }
        return;
    }
    // A new build (or the first): whatever was known of the old one goes.
    // Callers still waiting for the old build's listing get it: they asked
    // before the rebuild.
    if (entry.listing) {
        // Its Discovery is still running; let it finish for its callers,
        // and list this build beside it, unkept.
        return list(
            executable, framework, launcher, [selectors, done = std::move(done)](const DiscoveredExecutable &result) {
                Entry unkept;
                index(&unkept, result);
                done(restricted(unkept, selectors));
            });
    }
    entry = Entry {};
    entry.identity = identity;
    entry.listing = true;
    entry.waiting.append({selectors, std::move(done)});
    list(executable, framework, launcher,
        [this, key, identity](const DiscoveredExecutable &result) { listed(key, identity, result); });
}

void ListingCache::list(const QString &executable, const QString &framework, const QStringList &launcher, Callback done)
{
    auto *discovery = new Discovery({executable}, framework, 1, ListingTimeoutSeconds, this);
    discovery->setLauncher(launcher);
    connect(discovery, &Discovery::finished, this,
        [discovery, done = std::move(done)](const QVector<DiscoveredExecutable> &results) {
            discovery->deleteLater();
            done(results.value(0));
        });
    discovery->start();
}

void ListingCache::index(Entry *entry, const DiscoveredExecutable &result)
{
    entry->listed = result;
    entry->bySelector.clear();
    for (int i = 0; i < result.cases.size(); ++i)
        entry->bySelector.insert(result.cases[i].selector, i);
}

void ListingCache::listed(const QString &key, const QString &identity, const DiscoveredExecutable &result)
{
    const auto found = m_entries.find(key);
    if (found == m_entries.end() || found->identity != identity || !found->listing)
        return;
    Entry &entry = *found;
    entry.listing = false;
    index(&entry, result);
    const QVector<Waiting> waiting = std::exchange(entry.waiting, {});
    qCDebug(lcDaemon).noquote() << "listed" << result.cases.size() << "case(s) of" << result.executable
                                << (result.error.isEmpty() ? QString() : result.error);
    // Failures and unreadable files are told, not kept.
    const Entry told = entry;
    if (!result.error.isEmpty() || identity.isEmpty())
        m_entries.erase(found);
    for (const Waiting &waiter : waiting)
        waiter.done(restricted(told, waiter.selectors));
}

DiscoveredExecutable ListingCache::restricted(const Entry &entry, const QSet<QString> &selectors)
{
    DiscoveredExecutable cases = entry.listed;
    if (!cases.error.isEmpty())
        return cases;
    QVector<int> indices;
    indices.reserve(selectors.size());
    for (const QString &selector : selectors) {
        const auto index = entry.bySelector.constFind(selector);
        if (index != entry.bySelector.constEnd())
            indices.append(*index);
    }
    // The framework runs cases in the listing's order; so must the run.
    std::sort(indices.begin(), indices.end());
    cases.cases.clear();
    cases.cases.reserve(indices.size());
    for (int index : qAsConst(indices))
        cases.cases.append(entry.listed.cases[index]);
    return cases;
}

} // namespace ctestd
