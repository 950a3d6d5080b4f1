#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Installs what is missing, builds ctestd with warnings as errors and runs its
# whole test suite (unit, integration and fault tests).
#
#   ./test.sh              the regular build, in build/
#   ./test.sh --sanitize   the same with AddressSanitizer + UBSan, in build-asan/
set -euo pipefail
cd "$(dirname "$0")"
source cmake/install-deps.sh
ctestd_install_deps

build=build
flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCTESTD_WERROR=ON)
if [ "${1:-}" = "--sanitize" ]; then
  build=build-asan
  flags=(-DCMAKE_BUILD_TYPE=Debug -DCTESTD_WERROR=ON -DCTESTD_SANITIZE=ON)
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi

cmake -S . -B "$build" -G Ninja "${flags[@]}"
cmake --build "$build" -j 2
ctest --test-dir "$build" --output-on-failure -j 2
