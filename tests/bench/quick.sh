#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lab-timeout: 600
#
# make bench BENCH_QUICK=1: the smoke run (scripts/check's "bench smoke").
BENCH_QUICK=1 exec bash "$LAB_TOP/tests/bench/bench.sh"
