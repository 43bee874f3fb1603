-- wrk script for bench/load.py: a logged-in user reading mostly, logging a coffee now and then.
-- Arguments (after --): session cookie, CSRF token, comma-separated contact ids.
-- Per 10 requests: 3 dashboard, 2 contact list, 1 search, 3 contact pages, 1 quick log (POST).

local cookie, csrf
local ids = {}
local counter = 0

function init(args)
  cookie = "sessionid=" .. args[1] .. "; csrftoken=" .. args[2]
  csrf = args[2]
  for id in string.gmatch(args[3], "%d+") do
    ids[#ids + 1] = id
  end
  -- Threads start at different points of the cycle.
  counter = math.random(0, 1000)
end

local function get(path)
  return wrk.format("GET", path, { ["Cookie"] = cookie })
end

function request()
  counter = counter + 1
  local id = ids[(counter % #ids) + 1]
  local slot = counter % 10
  if slot == 0 then
    return wrk.format("POST", "/interactions/log/" .. id .. "/", {
      ["Cookie"] = cookie,
      ["X-CSRFToken"] = csrf,
      ["HX-Request"] = "true",
      ["Content-Type"] = "application/x-www-form-urlencoded",
    }, "kind=coffee&quick=1")
  elseif slot <= 3 then
    return get("/")
  elseif slot <= 5 then
    return get("/contacts/")
  elseif slot == 6 then
    return get("/contacts/?q=an")
  else
    return get("/contacts/" .. id .. "/")
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH-RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, ' ..
    '"read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean))
end
