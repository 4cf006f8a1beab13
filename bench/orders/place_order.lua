-- wrk script for bench/orders.py: POST /api/orders with 1-3 lines of 1-3 units each.
--
--   wrk ... http://127.0.0.1:<port>/api/orders -- <tokens file> <products file> <mode> <run id>
--
-- tokens file: one customer access token a line; each request takes the next one (the
-- threads start at different offsets), so all customers order throughout the run.
-- products file: one product id a line. mode "distinct": each line names a random product
-- of the file; "hot": every line names the first product of the file (the server merges
-- them into one line); "distinct-key": as distinct, plus a fresh Idempotency-Key header.
-- done() prints one line "orders-bench: {json}" with the figures bench/orders.py reads:
-- requests, duration, statuses seen, socket errors, latency percentiles, a sample of the
-- first unexpected answer of each thread.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

local function read_lines(path)
  local out = {}
  for line in io.lines(path) do
    if #line > 0 then out[#out + 1] = line end
  end
  assert(#out > 0, "empty file: " .. path)
  return out
end

local tokens, products, mode, run_id
local counter = 0
local headers = {["Content-Type"] = "application/json"}

function init(args)
  tokens = read_lines(args[1])
  products = read_lines(args[2])
  mode = args[3]
  run_id = args[4] or "run"
  assert(mode == "distinct" or mode == "hot" or mode == "distinct-key", "mode: distinct, hot or distinct-key")
  math.randomseed(tid * 7919 + os.time())
  counter = (tid - 1) * 17
  statuses = {}
  samples = {}
end

function request()
  counter = counter + 1
  local lines = {}
  for i = 1, math.random(1, 3) do
    local id = mode == "hot" and products[1] or products[math.random(1, #products)]
    lines[i] = '{"product_id":"' .. id .. '","quantity":' .. math.random(1, 3) .. '}'
  end
  headers["Authorization"] = "Bearer " .. tokens[counter % #tokens + 1]
  if mode == "distinct-key" then
    headers["Idempotency-Key"] = run_id .. "-" .. tid .. "-" .. counter
  end
  return wrk.format("POST", "/api/orders", headers, '{"items":[' .. table.concat(lines, ",") .. ']}')
end

function response(status, _, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status ~= 201 and samples[status] == nil then
    samples[status] = (body or ""):sub(1, 300)
  end
end

local function json_string(text)
  return '"' .. text:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
end

function done(summary, latency, _)
  local counts, sample_of = {}, {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do counts[status] = (counts[status] or 0) + n end
    for status, text in pairs(thread:get("samples")) do sample_of[status] = sample_of[status] or text end
  end
  local parts = {}
  for status, n in pairs(counts) do parts[#parts + 1] = '"' .. status .. '":' .. n end
  local sample_parts = {}
  for status, text in pairs(sample_of) do sample_parts[#sample_parts + 1] = '"' .. status .. '":' .. json_string(text) end
  local e = summary.errors
  io.write(string.format(
    'orders-bench: {"requests":%d,"duration_us":%d,"statuses":{%s},"samples":{%s},' ..
    '"socket_errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, table.concat(parts, ","), table.concat(sample_parts, ","),
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
