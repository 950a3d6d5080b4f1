#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Fails (and names each file and line) when a C++ source of the repository is
# not formatted with its .clang-format. Uses Debian 12's clang-format (14):
# another version may format differently, so it says which one it ran.
#
#   cmake/check-format.sh          check every tracked .cpp and .h file
#   cmake/check-format.sh --fix    reformat them in place instead
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v clang-format >/dev/null 2>&1; then
  echo "error: clang-format is not installed (apt-get install clang-format)" >&2
  exit 1
fi

mapfile -d '' files < <(git ls-files -z -- '*.cpp' '*.h')
if [ "${1:-}" = "--fix" ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
echo "Checking the format of ${#files[@]} files with $(clang-format --version)"
if ! clang-format --dry-run -Werror "${files[@]}"; then
  echo "error: the files above are not formatted; cmake/check-format.sh --fix formats them" >&2
  exit 1
fi
