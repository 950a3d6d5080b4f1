// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "runner/discovery.h"

#include <QHash>
#include <QObject>
#include <QSet>

#include <functional>

namespace ctestd {

// The cases of each executable the daemon has listed, for one build of it:
// every run of that build reuses the listing instead of running the
// executable in its list mode again. A tree of 2,000 cases in 100 fixture
// groups otherwise lists (and parses) all 2,000 cases 100 times.
//
// A build is the executable's identity (device, inode, size, modification
// time): a rebuilt executable is listed afresh and its old listing dropped.
// A listing that failed is never kept, so the next run tries again and
// reports its own failure.
class ListingCache : public QObject {
    Q_OBJECT
public:
    using Callback = std::function<void(const DiscoveredExecutable &)>;

    explicit ListingCache(QObject *parent = nullptr);

    // Calls `done` (from the event loop, never before this returns) with the
    // cases of `executable` whose selectors are in `selectors`, in the
    // listing's order, or with the listing's error. An empty `identity`
    // (the file cannot be read) lists without keeping the result. The
    // listing runs under `launcher` (an emulator must run it), which is part
    // of what the result is kept under.
    void fetch(const QString &executable, const QString &framework, const QStringList &launcher,
        const QString &identity, const QSet<QString> &selectors, Callback done);

private:
    struct Waiting {
        QSet<QString> selectors;
        Callback done;
    };
    struct Entry {
        QString identity;
        bool listing = false; // a Discovery is running for it
        DiscoveredExecutable listed;
        QHash<QString, int> bySelector; // selector -> index in listed.cases
        QVector<Waiting> waiting; // until the listing is done
    };

    // Runs the executable's listing (Discovery), then `done` with it.
    void list(const QString &executable, const QString &framework, const QStringList &launcher, Callback done);
    static void index(Entry *entry, const DiscoveredExecutable &result);
    static DiscoveredExecutable restricted(const Entry &entry, const QSet<QString> &selectors);
    void listed(const QString &key, const QString &identity, const DiscoveredExecutable &result);

    QHash<QString, Entry> m_entries; // by executable and framework
};

} // namespace ctestd
