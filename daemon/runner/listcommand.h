// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include "runcontroller.h"

namespace ctestd {

// `ctestd list`: lists the cases of the executables and the fixture groups a
// run would use, without running anything.
class ListCommand : public QObject {
    Q_OBJECT
public:
    ListCommand(const RunOptions &options, QIODevice *out, QIODevice *err, QObject *parent = nullptr);
    ~ListCommand() override;
    void start();

Q_SIGNALS:
    void finished(int exitCode);

private:
    RunOptions m_options;
    QIODevice *m_out;
    QIODevice *m_err;
    std::unique_ptr<FrameworkAdapter> m_adapter;
};

} // namespace ctestd
