// SPDX-License-Identifier: BSD-3-Clause
#include "protocol/fieldreader.h"

#include <QCborArray>

#include <cmath>

namespace ctestd::protocol::detail {

QString describeCborType(const QCborValue &value)
{
    switch (value.type()) {
    case QCborValue::Integer:
        return QStringLiteral("an integer");
    case QCborValue::ByteArray:
        return QStringLiteral("a byte string");
    case QCborValue::String:
        return QStringLiteral("a text string");
    case QCborValue::Array:
        return QStringLiteral("an array");
    case QCborValue::Map:
        return QStringLiteral("a map");
    case QCborValue::False:
    case QCborValue::True:
        return QStringLiteral("a boolean");
    case QCborValue::Null:
        return QStringLiteral("null");
    case QCborValue::Undefined:
        return QStringLiteral("undefined");
    case QCborValue::Double:
        return QStringLiteral("a floating-point number");
    default:
        break;
    }
    if (value.isSimpleType())
        return QStringLiteral("a simple value");
    if (value.isTag())
        return QStringLiteral("a tagged value");
    return QStringLiteral("an unsupported CBOR value");
}

FieldReader::FieldReader(const QCborMap &map, QLatin1String messageName, QString *error)
    : m_map(map)
    , m_messageName(messageName)
    , m_error(error)
{ }

void FieldReader::fail(QLatin1String key, const QString &problem)
{
    if (!m_ok)
        return;
    m_ok = false;
    if (m_error)
        *m_error = QStringLiteral("%1: field '%2' %3").arg(m_messageName, key, problem);
}

void FieldReader::wrongType(QLatin1String key, const QString &expected, const QCborValue &value)
{
    fail(key, QStringLiteral("must be %1, not %2").arg(expected, describeCborType(value)));
}

std::optional<QCborValue> FieldReader::field(QLatin1String key, Presence presence)
{
    if (!m_ok)
        return std::nullopt;
    const auto it = m_map.constFind(key);
    if (it == m_map.constEnd()) {
        if (presence == Presence::Required)
            fail(key, QStringLiteral("is missing"));
        return std::nullopt;
    }
    return it.value();
}

void FieldReader::boolean(QLatin1String key, bool *out, Presence presence)
{
    const auto value = field(key, presence);
    if (!value)
        return;
    if (!value->isBool())
        return wrongType(key, QStringLiteral("a boolean"), *value);
    *out = value->toBool();
}

void FieldReader::integer(QLatin1String key, qint64 *out, qint64 min, qint64 max, Presence presence)
{
    const auto value = field(key, presence);
    if (!value)
        return;
    if (!value->isInteger()) {
        wrongType(key, QStringLiteral("an integer"), *value);
        return;
    }
    const qint64 v = value->toInteger();
    if (v < min) {
        fail(key, QStringLiteral("must be at least %1, not %2").arg(min).arg(v));
        return;
    }
    if (v > max) {
        fail(key, QStringLiteral("must be at most %1, not %2").arg(max).arg(v));
        return;
    }
    *out = v;
}

void FieldReader::integer(QLatin1String key, int *out, int min, int max, Presence presence)
{
    qint64 v = *out; // stays as it is when the field is absent or wrong
    integer(key, &v, min, max, presence);
    *out = int(v);
}

void FieldReader::number(QLatin1String key, double *out, double min, Presence presence)
{
    const auto value = field(key, presence);
    if (!value)
        return;
    if (!value->isDouble() && !value->isInteger()) {
        wrongType(key, QStringLiteral("a number"), *value);
        return;
    }
    const double v = value->toDouble();
    if (!std::isfinite(v)) {
        fail(key, QStringLiteral("must be a finite number"));
        return;
    }
    if (v < min) {
        fail(key, QStringLiteral("must be at least %1, not %2").arg(min).arg(v));
        return;
    }
    *out = v;
}

void FieldReader::text(QLatin1String key, QString *out, Presence presence)
{
    const auto value = field(key, presence);
    if (!value)
        return;
    if (!value->isString()) {
        wrongType(key, QStringLiteral("a text string"), *value);
        return;
    }
    *out = value->toString();
}

void FieldReader::bytes(QLatin1String key, QByteArray *out, Presence presence, int exactSize)
{
    const auto value = field(key, presence);
    if (!value)
        return;
    if (!value->isByteArray()) {
        wrongType(key, QStringLiteral("a byte string"), *value);
        return;
    }
    const QByteArray v = value->toByteArray();
    if (exactSize >= 0 && v.size() != exactSize) {
        fail(key, QStringLiteral("must be %1 bytes long, not %2").arg(exactSize).arg(v.size()));
        return;
    }
    *out = v;
}

void FieldReader::textList(QLatin1String key, QStringList *out, Presence presence)
{
    const auto value = field(key, presence);
    if (!value)
        return;
    if (!value->isArray()) {
        wrongType(key, QStringLiteral("an array of text strings"), *value);
        return;
    }
    const QCborArray array = value->toArray();
    QStringList list;
    list.reserve(int(array.size()));
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QCborValue item = array.at(i);
        if (!item.isString()) {
            fail(key, QStringLiteral("item %1 must be a text string, not %2").arg(i).arg(describeCborType(item)));
            return;
        }
        list.append(item.toString());
    }
    *out = list;
}

void FieldReader::textMap(QLatin1String key, QHash<QString, QString> *out, Presence presence)
{
    const auto value = field(key, presence);
    if (!value)
        return;
    if (!value->isMap()) {
        wrongType(key, QStringLiteral("a map of text strings"), *value);
        return;
    }
    const QCborMap map = value->toMap();
    QHash<QString, QString> hash;
    hash.reserve(int(map.size()));
    for (auto it = map.constBegin(); it != map.constEnd(); ++it) {
        if (!it.key().isString()) {
            fail(key, QStringLiteral("has a key that is %1, not a text string").arg(describeCborType(it.key())));
            return;
        }
        const QString name = it.key().toString();
        if (!it.value().isString()) {
            fail(key,
                QStringLiteral("entry '%1' must be a text string, not %2").arg(name, describeCborType(it.value())));
            return;
        }
        if (hash.contains(name)) {
            fail(key, QStringLiteral("has the key '%1' twice").arg(name));
            return;
        }
        hash.insert(name, it.value().toString());
    }
    *out = hash;
}

void FieldReader::status(QLatin1String key, Status *out, Presence presence)
{
    const auto value = field(key, presence);
    if (!value)
        return;
    if (!value->isString()) {
        wrongType(key, QStringLiteral("a text string"), *value);
        return;
    }
    const QString name = value->toString();
    Status s;
    if (!statusFromName(name, &s)) {
        fail(key, QStringLiteral("has unknown value '%1'").arg(name));
        return;
    }
    *out = s;
}

} // namespace ctestd::protocol::detail
