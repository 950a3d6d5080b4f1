// SPDX-License-Identifier: BSD-3-Clause
#include "idlework.h"

namespace ctestd {

IdleWork::IdleWork(std::function<bool()> slice)
    : m_slice(std::move(slice))
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(0);
    QObject::connect(&m_timer, &QTimer::timeout, [this] {
        if (m_slice())
            m_timer.start();
    });
}

void IdleWork::schedule()
{
    if (!m_timer.isActive())
        m_timer.start();
}

void IdleWork::finish()
{
    m_timer.stop();
    while (m_slice()) { }
}

} // namespace ctestd
