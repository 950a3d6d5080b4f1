// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QIODevice>

namespace ctestd {

// A device that is only written to, open and unbuffered from the start: the
// console's streams (LoggedStream, CoalescedOutput, OrderedError, a bundle's
// ConsoleCapture) are written like QFiles and pass the bytes on.
class WriteOnlyDevice : public QIODevice {
public:
    explicit WriteOnlyDevice(QObject *parent = nullptr)
        : QIODevice(parent)
    {
        QIODevice::open(QIODevice::WriteOnly | QIODevice::Unbuffered);
    }

protected:
    qint64 readData(char *, qint64) override { return -1; }
};

} // namespace ctestd
