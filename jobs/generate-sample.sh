#!/usr/bin/env bash
# Write a synthetic quote log with planted penalties, traps, malformed rows and truth.csv.
#   jobs/generate-sample.sh --out DIR [--quotes N] [--skus N] [--days N] [--seed N] [--penalised-share F]
#     [--single-file] [--format csv|parquet]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
run_jar generate "$@"
