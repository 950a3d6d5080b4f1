// SPDX-License-Identifier: BSD-3-Clause
// ctestd: runs C++ test cases in fixture-grouped worker processes.
#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    return 0;
}
