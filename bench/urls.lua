-- wrk script for bench/load.py: each request takes the next path of the file named by
-- LOAD_PATHS (one path per line: home, articles, listings, search, feeds, in a shuffled mix;
-- a line "POST /read/<id>/" is a read beacon, sent with a user agent of its own, as a
-- different reader's browser would send it).
-- It counts the page cache's answers (X-Page-Cache: hit, miss, stale) and prints them last.
local paths = {}
for line in io.lines(os.getenv("LOAD_PATHS")) do
  paths[#paths + 1] = line
end

local counter = 0
local threads = {}

setup = function(thread)
  -- Threads start at different places in the list, so they do not ask for the same pages.
  thread:set("offset", counter * 7919)
  counter = counter + 1
  threads[#threads + 1] = thread
end

local i = 0
local run = os.time()  -- each run's readers are new readers
hits, misses = 0, 0
request = function()
  i = i + 1
  local path = paths[(offset + i - 1) % #paths + 1]
  if path:sub(1, 5) == "POST " then
    local agent = "Mozilla/5.0 (X11; Linux x86_64) LoadReader/" .. run .. "." .. offset .. "." .. i
    return wrk.format("POST", path:sub(6), {["User-Agent"] = agent})
  end
  return wrk.format("GET", path)
end

response = function(status, headers, body)
  local served = headers["X-Page-Cache"] or headers["x-page-cache"]
  if served == "hit" then
    hits = hits + 1
  elseif served then
    misses = misses + 1
  end
end

done = function(summary, latency, requests)
  local total_hits, total_misses = 0, 0
  for _, thread in ipairs(threads) do
    total_hits = total_hits + thread:get("hits")
    total_misses = total_misses + thread:get("misses")
  end
  io.write(string.format("page cache: %d hits %d misses\n", total_hits, total_misses))
end
