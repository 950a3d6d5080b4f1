// SPDX-License-Identifier: BSD-3-Clause
#include "workerids.h"

namespace ctestd {

int WorkerIds::take()
{
    int id = 0;
    while (m_taken.contains(id))
        ++id;
    m_taken.insert(id);
    m_highest = qMax(m_highest, id);
    return id;
}

void WorkerIds::release(int id)
{
    m_taken.remove(id);
}

} // namespace ctestd
