#!/usr/bin/env bash
# Audit one day's quotes into a findings history (builds the jar on first use).
#   jobs/nightly.sh --quotes PATH --purchases PATH [--customers PATH] --history DIR [--date YYYY-MM-DD] [--format F]
#                   [--config FILE] [--fail-on-new-penalties]
# Exit codes: 0 done, 2 bad input or config, 1 failure, 3 new penalties (with --fail-on-new-penalties).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
run_jar nightly "$@"
