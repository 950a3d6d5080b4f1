// SPDX-License-Identifier: BSD-3-Clause
#include "sharding.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>
#include <numeric>

namespace ctestd {

bool parseShard(const QString &text, Shard *shard, QString *error)
{
    static const QRegularExpression form(QStringLiteral("^([0-9]{1,6})/([0-9]{1,6})$"));
    const QRegularExpressionMatch match = form.match(text);
    const int index = match.captured(1).toInt();
    const int count = match.captured(2).toInt();
    if (!match.hasMatch() || count < 1 || index < 1 || index > count) {
        *error = QStringLiteral("--shard: expected I/N with 1 <= I <= N, got '%1'").arg(text);
        return false;
    }
    *shard = Shard {index - 1, count};
    return true;
}

bool shardFromEnvironment(const QProcessEnvironment &environment, std::optional<Shard> *shard, QString *error)
{
    const QString total = environment.value(QStringLiteral("GTEST_TOTAL_SHARDS"));
    const QString index = environment.value(QStringLiteral("GTEST_SHARD_INDEX"));
    if (total.isEmpty() && index.isEmpty())
        return true;
    bool totalOk = false;
    bool indexOk = false;
    const int count = total.toInt(&totalOk);
    const int which = index.toInt(&indexOk);
    if (!totalOk || !indexOk || count < 1 || which < 0 || which >= count) {
        *error = QStringLiteral("GTEST_TOTAL_SHARDS='%1' and GTEST_SHARD_INDEX='%2' do not name a shard (0 <= index < "
                                "total)")
                     .arg(total, index);
        return false;
    }
    *shard = Shard {which, count};
    return true;
}

QVector<bool> casesInShard(const QVector<TestCase> &cases, const QVector<Unit> &units, const Shard &shard)
{
    const int n = int(cases.size());
    if (shard.isWhole())
        return QVector<bool>(n, true);
    // Union-find over cases: a unit's cases, and each case with what it depends on.
    QVector<int> parent(n);
    std::iota(parent.begin(), parent.end(), 0);
    const auto find = [&parent](int i) {
        while (parent[i] != i)
            i = parent[i] = parent[parent[i]];
        return i;
    };
    const auto join = [&](int a, int b) {
        a = find(a);
        b = find(b);
        if (a != b)
            parent[qMax(a, b)] = qMin(a, b); // the root is the lowest position: stable
    };
    for (const Unit &unit : units) {
        for (int i = 1; i < unit.cases.size(); ++i)
            join(unit.cases.first(), unit.cases.at(i));
    }
    for (int i = 0; i < n; ++i) {
        for (int dependency : cases[i].dependsOn) {
            if (dependency >= 0 && dependency < n)
                join(i, dependency);
        }
    }

    struct Part {
        int root;
        double work = 0;
        int first = 0;
    };
    const bool costs = std::any_of(cases.cbegin(), cases.cend(), [](const TestCase &c) { return c.cost > 0; });
    QVector<int> partOf(n, -1);
    QVector<Part> parts;
    for (int i = 0; i < n; ++i) {
        const int root = find(i);
        if (partOf[root] < 0) {
            partOf[root] = int(parts.size());
            parts.append(Part {root, 0, i});
        }
        Part &part = parts[partOf[root]];
        part.work += costs ? qMax(0.0, cases[i].cost) : 1.0;
    }
    QVector<int> order(parts.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&parts](int a, int b) {
        if (parts[a].work != parts[b].work)
            return parts[a].work > parts[b].work;
        return parts[a].first < parts[b].first;
    });
    QVector<double> load(shard.count, 0.0);
    QVector<int> shardOfPart(parts.size(), 0);
    for (int p : qAsConst(order)) {
        const int lightest = int(std::min_element(load.cbegin(), load.cend()) - load.cbegin());
        shardOfPart[p] = lightest;
        load[lightest] += parts[p].work;
    }
    QVector<bool> mine(n, false);
    for (int i = 0; i < n; ++i)
        mine[i] = shardOfPart[partOf[find(i)]] == shard.index;
    return mine;
}

QString shardDigest(const QVector<TestCase> &cases, const QVector<Unit> &units)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const auto add = [&hash](const QByteArray &field) {
        hash.addData(QByteArray::number(field.size()));
        hash.addData(":", 1);
        hash.addData(field);
    };
    add(QByteArray::number(cases.size()));
    for (const TestCase &testCase : cases) {
        add(testCase.displayName.toUtf8());
        add(QFileInfo(testCase.executable).fileName().toUtf8());
        add(QByteArray::number(testCase.cost, 'g', 17));
        QByteArray dependencies;
        for (int dependency : testCase.dependsOn)
            dependencies += QByteArray::number(dependency) + ',';
        add(dependencies);
    }
    for (const Unit &unit : units) {
        QByteArray members;
        for (int index : unit.cases)
            members += QByteArray::number(index) + ',';
        add(members);
    }
    return QString::fromLatin1(hash.result().toHex());
}

} // namespace ctestd
