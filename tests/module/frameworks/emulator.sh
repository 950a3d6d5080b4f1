#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Stands in for a cross build's emulator (qemu-<arch>) as fw_doctest's
# CROSSCOMPILING_EMULATOR: logs how it was asked to run the program, then
# runs it. $1: the log file.
log=$1
shift
printf '%s\n' "$*" >> "$log"
exec "$@"
