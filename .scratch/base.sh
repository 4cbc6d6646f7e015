#!/bin/bash
# usage: base.sh [secs]; prints CPU µs/exec per configuration
S=${1:-3}
for cfg in "memory passChain 1" "durable passChain 50" "durable passChain 1" "durable lambdaChain 50" "durable lambdaChain 1" "durable taskToken 50" "memory lambdaChain 1"; do
  node --import tsx .scratch/run-durable.ts $cfg 2>/dev/null | sed 's/^/  /' &
  wait
done
