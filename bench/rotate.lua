-- wrk script for bench/partner_read.py: rotate over many requests read from a file given after `--`.
-- Each line is "<path>\t<bearer secret or empty>". Prints one machine-readable RESULT line at the end.
local lines = {}
local counter = 0

function init(args)
  for line in io.lines(args[1]) do
    local path, secret = line:match("^([^\t]*)\t?(.*)$")
    local headers = {}
    if secret and secret ~= "" then
      headers["Authorization"] = "Bearer " .. secret
    end
    lines[#lines + 1] = wrk.format("GET", path, headers)
  end
  counter = math.random(#lines)
end

function request()
  counter = counter % #lines + 1
  return lines[counter]
end

function done(summary, latency, requests)
  io.write(string.format(
    "RESULT requests=%d duration_us=%d socket_errors=%d non2xx=%d p50_ms=%.3f p95_ms=%.3f p99_ms=%.3f max_ms=%.3f\n",
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
