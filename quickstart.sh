#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Installs what is missing, builds ctestd and the bundled examples, and runs
# them: one test executable of each framework through ctestd with 2 workers,
# one example through ctest (every case a CTest test answered by ctestd's
# daemon), and a mixed CTest tree through `ctestd --test-dir`.
set -euo pipefail
cd "$(dirname "$0")"
source cmake/install-deps.sh
ctestd_install_deps

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j 2 --target ctestd
# The examples find ctestd with find_package(ctestd), here in the build tree.
examples=(gtest-fixtures qtest-fixtures catch2-fixtures doctest-suites boost-fixtures mixed-tree)
for example in "${examples[@]}"; do
  cmake -S "examples/$example" -B "build/examples/$example" -G Ninja -DCMAKE_PREFIX_PATH="$PWD/build"
  cmake --build "build/examples/$example" -j 2
done

# One test executable of each framework; ctestd tells the frameworks apart.
executables=(
  build/examples/gtest-fixtures/db_tests
  build/examples/qtest-fixtures/tst_cache
  build/examples/catch2-fixtures/server_tests
  build/examples/doctest-suites/cache_tests
  build/examples/boost-fixtures/cache_tests
)
echo
echo "== ctestd -j2 --output-junit build/examples/results.xml ${executables[*]}"
build/src/ctestd -j2 --output-junit build/examples/results.xml "${executables[@]}"

echo
echo "== ctest --test-dir build/examples/qtest-fixtures -j2   (one CTest test per case, answered by ctestd's daemon)"
ctest --test-dir build/examples/qtest-fixtures -j2

echo
echo "== ctestd --test-dir build/examples/mixed-tree -j2   (plain tests and discovered cases, run by ctestd)"
build/src/ctestd --test-dir build/examples/mixed-tree -j2
