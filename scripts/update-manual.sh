#!/bin/sh
# Regenerates docs/oomlab.1 from the command definitions with
# swift-argument-parser's manual generator (the GenerateManual plugin of the
# package's own swift-argument-parser dependency). ManualTests fails while
# docs/oomlab.1 is stale. The date is fixed so that the page changes only
# when the commands do.
set -e
cd "$(dirname "$0")/.."
swift package --allow-writing-to-package-directory generate-manual \
    --configuration debug --date 2026-12-01 --authors "the oomlab developers"
cp .build/plugins/GenerateManual/outputs/oomlab/oomlab.1 docs/oomlab.1
echo "wrote docs/oomlab.1"
