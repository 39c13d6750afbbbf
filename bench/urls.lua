-- wrk script for bench/load.py: each request takes the next path of the file named by
-- LOAD_PATHS (one path per line: home, articles, listings, search, feeds, in a shuffled mix).
local paths = {}
for line in io.lines(os.getenv("LOAD_PATHS")) do
  paths[#paths + 1] = line
end

local counter = 0

setup = function(thread)
  -- Threads start at different places in the list, so they do not ask for the same pages.
  thread:set("offset", counter * 7919)
  counter = counter + 1
end

local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(offset + i - 1) % #paths + 1])
end
