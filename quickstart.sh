#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Installs what is missing, builds ctestd and the bundled example, and runs
# the example's GoogleTest suite through ctestd with 2 workers.
set -euo pipefail
cd "$(dirname "$0")"
source cmake/install-deps.sh
ctestd_install_deps

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j 2 --target ctestd
# The example finds ctestd with find_package(ctestd), here in the build tree.
cmake -S examples/gtest-fixtures -B build/examples/gtest-fixtures -G Ninja -DCMAKE_PREFIX_PATH="$PWD/build"
cmake --build build/examples/gtest-fixtures -j 2

echo
echo "== ctestd -j2 --output-junit build/examples/gtest-fixtures/results.xml build/examples/gtest-fixtures/db_tests"
build/daemon/ctestd -j2 --output-junit build/examples/gtest-fixtures/results.xml build/examples/gtest-fixtures/db_tests

echo
echo "== ctest --test-dir build/examples/gtest-fixtures -j2   (one CTest test per case, answered by ctestd's daemon)"
ctest --test-dir build/examples/gtest-fixtures -j2

cmake -S examples/mixed-tree -B build/examples/mixed-tree -G Ninja -DCMAKE_PREFIX_PATH="$PWD/build"
cmake --build build/examples/mixed-tree -j 2
echo
echo "== ctestd --test-dir build/examples/mixed-tree -j2   (plain tests and discovered cases, run by ctestd)"
build/daemon/ctestd --test-dir build/examples/mixed-tree -j2
