#!/usr/bin/env bash
# Audit a quote log in Spark local mode (builds the jar on first use).
#   jobs/audit.sh --quotes PATH [--purchases PATH] [--customers PATH] [--format csv|parquet|delta] --out DIR [--config FILE]
# JVM options: LPD_JAVA_OPTS (default -Xmx12g).
# On a cluster, use spark-submit: see docs/operations.md.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
run_jar audit "$@"
