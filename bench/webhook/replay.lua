-- wrk script for bench/webhook_ingest.sh: replays the pre-signed webhook deliveries written by make_events.js,
-- one distinct delivery per request.
--
--   wrk -t T -c C -d D --latency -s replay.lua http://127.0.0.1:PORT/api/voice/webhook -- EVENTS_FILE T
--
-- wrk runs one Lua state per thread, so thread i (0-based, numbered in setup()) keeps only the lines whose
-- 0-based number is i modulo T: the threads' slices are disjoint and no two requests of a run carry the same
-- event id. Each request is formatted once, in init(). A thread that has sent its whole slice starts over,
-- so later requests are duplicates (acknowledged without a write); done() prints how many there were, and
-- the calling script treats any as a failed run (generate more events).

local threads = {}
local started = 0

function setup(thread)
    thread:set("thread_index", started)
    started = started + 1
    table.insert(threads, thread)
end

function init(args)
    local file, thread_count = args[1], tonumber(args[2])
    if file == nil or thread_count == nil or thread_count < 1 then
        error("replay.lua: usage: wrk ... -s replay.lua URL -- EVENTS_FILE THREADS")
    end
    requests = {}
    local count, line_number = 0, 0
    for line in io.lines(file) do
        if line_number % thread_count == thread_index then
            local timestamp, signature, body = line:match("^([^\t]+)\t([^\t]+)\t(.+)$")
            if body == nil then error("replay.lua: malformed line " .. (line_number + 1) .. " in " .. file) end
            count = count + 1
            requests[count] = wrk.format("POST", nil, {
                ["Content-Type"] = "application/json",
                ["Telnyx-Signature-Ed25519"] = signature,
                ["Telnyx-Timestamp"] = timestamp,
            }, body)
        end
        line_number = line_number + 1
    end
    if count == 0 then error("replay.lua: no events for thread " .. thread_index .. " in " .. file) end
    loaded = count
    -- wrk calls request() once on its first thread before the run to check for pipelining; that request is
    -- never sent, so it does not count as a repeat when the slice comes round again.
    unsent = (thread_index == 0) and 1 or 0
    index = 0
    calls = 0
    repeated = 0
end

function request()
    calls = calls + 1
    index = index + 1
    if index > loaded then
        index = 1
    end
    if calls > loaded + unsent then
        repeated = repeated + 1
    end
    return requests[index]
end

function done(summary, latency, requests_)
    local loaded_total, repeated_total = 0, 0
    for _, thread in ipairs(threads) do
        loaded_total = loaded_total + thread:get("loaded")
        repeated_total = repeated_total + thread:get("repeated")
    end
    io.write(string.format("replay: events loaded %d, requests that repeated an event %d\n",
        loaded_total, repeated_total))
end
