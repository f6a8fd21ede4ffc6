-- The request wrk sends, from the environment set by bench/middleware/load.ts:
-- BENCH_MODE=preflight: OPTIONS with Origin, Access-Control-Request-Method and -Headers;
-- BENCH_MODE=actual: GET with Origin.
local mode = os.getenv("BENCH_MODE") or "actual"

wrk.method = "GET"
wrk.headers["Origin"] = os.getenv("BENCH_ORIGIN")
if mode == "preflight" then
  wrk.method = "OPTIONS"
  wrk.headers["Access-Control-Request-Method"] = os.getenv("BENCH_ACRM")
  wrk.headers["Access-Control-Request-Headers"] = os.getenv("BENCH_ACRH")
end

-- One machine-readable line for the bench to parse, instead of wrk's human summary.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,' ..
    '"write":%d,"status":%d,"timeout":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(99)))
end
