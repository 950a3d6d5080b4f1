// SPDX-License-Identifier: BSD-3-Clause
#pragma once

#include <QSet>
#include <QString>

namespace ctestd {

// Makes sure nothing a test started outlives it. A test's process group is
// killed when the test ends (TestProcess), but a child that called setsid()
// or setpgid() has left that group, and when its parent exits it would be
// re-parented to init and run on. As a child subreaper the worker inherits
// such orphans instead, and kills them once the test process is gone.
class OrphanReaper {
public:
    // Marks the calling process (the worker) a child subreaper
    // (PR_SET_CHILD_SUBREAPER). Returns false with the reason if the kernel
    // refuses.
    static bool adopt(QString *error);

    // SIGKILLs and reaps every child of this process, and their process
    // groups, until none is left (killing one re-parents its children to
    // us). Only for the worker, and only while no child of ours is meant to
    // live: after the test process has been reaped. Returns how many it
    // killed.
    static int killAll();

    // Leaves the children this process has now to live: what a worker's
    // setup hook started to serve its tests (a database server), which its
    // teardown hook stops. killAll() passes them over.
    static void spareChildren();

private:
    static QSet<int> s_spared;
};

} // namespace ctestd
