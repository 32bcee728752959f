-- wrk script for the signed-webhook scenario (webhooks.py): POSTs pre-signed Standard Webhooks deliveries, each one
-- once, so the gateway's replay protection never sees an id twice.
--
--   wrk -s webhook.lua URL -- RECORDS BODY PATH THREADS MODE
--
-- RECORDS: one delivery per line, "<webhook-id> <webhook-timestamp> <webhook-signature>", signed in Python over BODY
-- (signing needs an HMAC, which wrk's LuaJIT does not have). Thread k takes lines k, k+THREADS, ... so no two threads
-- send the same id. MODE "full": every request is built whole here in init (headers and body), so the load generator
-- only hands out prepared strings while measuring; "head": only the headers are prepared and the body is appended per
-- request (for 1 MiB bodies, where thousands of whole requests would not fit in memory). wrk calls request() before
-- it starts a request's clock, so that concatenation is not timed.
--
-- Running out of records would resend an id (and the gateway would answer 409): the script then starts over and
-- counts it, and done() prints "lua: sent=N wrapped=W" so the caller can tell.

local threads = {}
local next_index = 0

function setup(thread)
  thread:set("thread_index", next_index)
  next_index = next_index + 1
  table.insert(threads, thread)
end

local function head(path, id, ts, sig, length)
  -- The same header set a Standard Webhooks sender writes; Host as wrk would set it.
  return "POST " .. path .. " HTTP/1.1\r\n"
    .. "Host: " .. wrk.headers["Host"] .. "\r\n"
    .. "Content-Type: application/json\r\n"
    .. "Content-Length: " .. length .. "\r\n"
    .. "webhook-id: " .. id .. "\r\n"
    .. "webhook-timestamp: " .. ts .. "\r\n"
    .. "webhook-signature: " .. sig .. "\r\n"
    .. "\r\n"
end

function init(args)
  local records_path, body_path, path, nthreads, mode = args[1], args[2], args[3], tonumber(args[4]), args[5]
  local f = assert(io.open(body_path, "rb"))
  body = f:read("*a")
  f:close()
  append_body = (mode == "head")
  prepared = {}
  count, sent, wrapped, index = 0, 0, 0, 0
  local line_no = 0
  for line in io.lines(records_path) do
    if line_no % nthreads == thread_index then
      local id, ts, sig = line:match("^(%S+) (%S+) (%S+)$")
      local h = head(path, id, ts, sig, #body)
      count = count + 1
      prepared[count] = append_body and h or (h .. body)
    end
    line_no = line_no + 1
  end
  assert(count > 0, "no records for thread " .. thread_index)
end

function request()
  index = index + 1
  if index > count then
    index = 1
    wrapped = wrapped + 1
  end
  sent = sent + 1
  if append_body then
    return prepared[index] .. body
  end
  return prepared[index]
end

function done(summary, latency, requests)
  local total_sent, total_wrapped, total_records = 0, 0, 0
  for _, t in ipairs(threads) do
    total_sent = total_sent + t:get("sent")
    total_wrapped = total_wrapped + t:get("wrapped")
    total_records = total_records + t:get("count")
  end
  io.write(string.format("lua: sent=%d wrapped=%d records=%d\n", total_sent, total_wrapped, total_records))
end
