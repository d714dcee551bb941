-- wrk script for bench/load.py. Arguments after wrk's `--`:
--   get <path> [<path> ...]     GET the paths in turn on each connection
--   submit <run> <token>        POST /api/v1/drafts/ with a new external_id and question each time
-- WRK_PACE_MS=<n> in the environment: each connection waits n ms between requests (a steady rate).
-- Prints one line `WRKJSON {...}` with the figures bench/load.py reads.

local pace = tonumber(os.getenv("WRK_PACE_MS") or "0")
if pace > 0 then
  function delay()
    return pace
  end
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

local DRAFT = '{"external_id": "%s", "question": "Load question %s: what is the first-line treatment of '
  .. 'iron deficiency in adults?", "specialty": "hematology-oncology", "sections": ['
  .. '{"heading": "From the Guidelines", "body": "Oral iron is first line [1]. Intravenous iron when oral '
  .. 'iron fails or is not tolerated [2]."}, {"heading": "Bottom line", "body": "Start oral iron [1, 2]."}], '
  .. '"citations": [{"number": 1, "title": "Guideline on iron deficiency", "journal": "Blood", "year": 2021, '
  .. '"pmid": "1234567"}, {"number": 2, "title": "Trial of intravenous iron", "doi": "10.1000/xyz123", '
  .. '"year": 2020}], "model": {"name": "load", "version": "1"}}'

function init(args)
  mode = args[1]
  n = 0
  bad = 0
  first_bad = 0
  if mode == "submit" then
    run = args[2]
    wrk.method = "POST"
    wrk.headers["Authorization"] = "Bearer " .. args[3]
    wrk.headers["Content-Type"] = "application/json"
  else
    paths = {}
    for i = 2, #args do
      table.insert(paths, args[i])
    end
  end
end

function request()
  n = n + 1
  if mode == "submit" then
    local id = string.format("%s-%d-%d", run, tid, n)
    return wrk.format("POST", "/api/v1/drafts/", nil, string.format(DRAFT, id, id))
  end
  return wrk.format("GET", paths[(n - 1) % #paths + 1])
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    bad = bad + 1
    if first_bad == 0 then
      first_bad = status
    end
  end
end

function done(summary, latency, requests)
  local non2xx, first = 0, 0
  for _, thread in ipairs(threads) do
    non2xx = non2xx + thread:get("bad")
    if first == 0 then
      first = thread:get("first_bad")
    end
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, '
      .. '"non2xx": %d, "first_bad_status": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    non2xx, first, e.connect, e.read, e.write, e.timeout
  ))
end
