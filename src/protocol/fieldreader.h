// SPDX-License-Identifier: BSD-3-Clause
#pragma once

// Internal to src/protocol: reads the fields of one message body and
// stops at the first wrong one, with an error that names the message and the
// field ("CaseFinished: field 'status' has unknown value 'bogus'").

#include "model/testmodel.h"

#include <QCborMap>
#include <QHash>
#include <QStringList>

#include <optional>

namespace ctestd::protocol::detail {

enum class Presence { Required, Optional };

class FieldReader {
public:
    FieldReader(const QCborMap &map, QLatin1String messageName, QString *error);

    bool ok() const { return m_ok; }

    // Each reader leaves *out untouched when the field is optional and absent,
    // or when an earlier field already failed.
    void integer(QLatin1String key, qint64 *out, qint64 min, qint64 max, Presence presence = Presence::Required);
    void integer(QLatin1String key, int *out, int min, int max, Presence presence = Presence::Required);
    void number(QLatin1String key, double *out, double min, Presence presence = Presence::Required);
    void boolean(QLatin1String key, bool *out, Presence presence = Presence::Required);
    void text(QLatin1String key, QString *out, Presence presence = Presence::Required);
    void bytes(QLatin1String key, QByteArray *out, Presence presence = Presence::Required, int exactSize = -1);
    void textList(QLatin1String key, QStringList *out, Presence presence = Presence::Required);
    void textMap(QLatin1String key, QHash<QString, QString> *out, Presence presence = Presence::Required);
    void status(QLatin1String key, Status *out, Presence presence = Presence::Required);

private:
    // The field's value; nothing when it is absent and optional, when it is
    // missing and required (then the reader has failed), or after an error.
    std::optional<QCborValue> field(QLatin1String key, Presence presence);
    void fail(QLatin1String key, const QString &problem);
    void wrongType(QLatin1String key, const QString &expected, const QCborValue &value);

    const QCborMap &m_map;
    QLatin1String m_messageName;
    QString *m_error;
    bool m_ok = true;
};

// "an integer", "a text string", ... for error messages.
QString describeCborType(const QCborValue &value);

} // namespace ctestd::protocol::detail
