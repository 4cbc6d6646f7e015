#!/bin/bash
cd /work/wt/bench
out=$(node --import tsx .scratch/run-prof.ts "$@")
echo "$out"
us=$(echo "$out" | sed 's/.*µs\/exec //')
node --import tsx .scratch/cat.ts .scratch/last.cpuprofile $us ${TOP:-35}
