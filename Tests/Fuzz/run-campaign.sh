#!/usr/bin/env bash
# The fuzz campaign: the property suites (RESP decoder, CLUSTER NODES / CLUSTER INFO / INFO
# parsers) run round after round, each round with fresh random seeds and many more cases than
# `swift test` uses, until MINUTES have passed. A failing round stops the campaign and keeps its
# log, which names the failing input and the `.fixedSeed(...)` that reproduces it.
#
#   Tests/Fuzz/run-campaign.sh [MINUTES] [CASES_PER_PROPERTY_PER_ROUND]
set -euo pipefail
minutes=${1:-10}
cases=${2:-5000}
cd "$(dirname "$0")/../.."
swift build --build-tests >/dev/null
log=$(mktemp -t shardtop-fuzz.XXXXXX)
properties=$(grep -h '@Test func' Tests/ShardtopRedisTests/Fuzz/*PropertyTests.swift | wc -l)
end=$((SECONDS + minutes * 60))
rounds=0
while ((SECONDS < end)); do
    if ! SHARDTOP_FUZZ_ITERATIONS=$cases swift test --skip-build --filter 'PropertyTests' >"$log" 2>&1; then
        echo "round $((rounds + 1)) FAILED after $((SECONDS / 60)) min; log: $log" >&2
        grep -E 'recorded an issue|occured with input|fixedSeed' "$log" | head -20 >&2
        exit 1
    fi
    rounds=$((rounds + 1))
done
rm -f "$log"
echo "ran clean: $rounds rounds x $properties properties x $cases cases = $((rounds * properties * cases)) cases in $((SECONDS / 60)) min $((SECONDS % 60)) s"
