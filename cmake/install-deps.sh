#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Installs the Debian 12 packages ctestd needs to build and test, if missing.
# Sourced by quickstart.sh and test.sh; safe to run again.
set -euo pipefail

ctestd_packages=(
  cmake ninja-build g++ pkg-config
  qtbase5-dev                        # Qt Core/Network/Test
  libkf5archive-dev zlib1g-dev       # KArchive: result bundles (--archive, ctestd report); crc32
  tar unzip zstd xz-utils bzip2      # tests read bundles with the system's tools
  libgtest-dev                       # GoogleTest suites for tests and examples
  catch2 doctest-dev libboost-test-dev # Catch2 2.13, doctest 2.4, Boost.Test 1.74 suites
  # (Qt Test comes with qtbase5-dev)
  libxml2-utils                      # xmllint checks the JUnit output in tests
  python3                            # the benchmark script
  clang-format                       # CI checks the sources' format (cmake/check-format.sh)
  gdb                                # a module test debugs a case through its CTest command
  valgrind                           # a test runs cases under --launcher valgrind
  openssh-server openssh-client iproute2 # ssh workers in network namespaces (tests)
  slurm-wlm munge                    # srun workers on a single-node Slurm (tests)
)

ctestd_install_deps() {
  local missing=()
  for package in "${ctestd_packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$package")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  echo "Installing missing packages: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      echo "error: not root and no sudo; install these packages first: ${missing[*]}" >&2
      return 1
    fi
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
