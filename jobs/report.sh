#!/usr/bin/env bash
# Render a finished run's report again (HTML, PDF, JSON), e.g. in Chinese for SAMR-style readers:
#   jobs/report.sh --run DIR [--lang en|zh-CN] [--k N] [--out DIR]
# DIR is an audit's --out directory or a nightly history's runs/<date> directory. No Spark needed.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
run_jar report "$@"
