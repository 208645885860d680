;; The "bench" module sightglass benchmarks import: start/end markers around
;; the measured region (used with `wasmport run --preload bench=bench.wat`).
(module
  (func (export "start"))
  (func (export "end")))
