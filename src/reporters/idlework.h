// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QTimer>

#include <functional>

namespace ctestd {

// Work a report can do before the run ends (a finished case's JSON or
// JUnit element), done a slice at a time whenever the event loop is idle
// rather than at the end, where the whole run waits for it. The slices
// run from a zero timer, so a worker's message is never held up by more
// than one slice; finish() does what is left at once. Without an event
// loop (`ctestd report`, a test) everything is done by finish().
class IdleWork {
public:
    // `slice` does some of the work and says whether any is left.
    explicit IdleWork(std::function<bool()> slice);

    void schedule(); // there is work: do it when the loop is idle
    void finish(); // do the rest now

private:
    std::function<bool()> m_slice;
    QTimer m_timer;
};

} // namespace ctestd
