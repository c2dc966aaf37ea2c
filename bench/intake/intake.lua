-- wrk script for the intake bench (bench/intake/run.ts): each request is a new staff report
-- (POST /api/reports) with its own idempotency key and a point spread over the demo city, as the
-- autocannon client sends them.  wrk -s intake.lua <url> -- <bearer token> <key prefix>
local texts = {
  "东湖路上有个井盖没有了，路过的人很容易踩空",
  "文昌路口那家水果店把摊子摆到人行道上了",
  "学院路公交站旁边的路灯一到晚上就闪个不停",
  "望江小区北门的垃圾桶满了好几天没人清",
}
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local token, prefix, n = "", "", 0
function init(args)
  token = args[1]
  prefix = args[2]
end

function request()
  n = n + 1
  local i = n * 8 + tid
  local body = string.format(
    '{"idempotencyKey":"%s-%d-%d","channel":"hotline","text":"%s","location":{"lat":%.4f,"lng":%.4f}}',
    prefix, tid, n, texts[(i % #texts) + 1], 30.201 + ((i * 7) % 880) * 0.0001, 120.101 + ((i * 13) % 1780) * 0.0001)
  return wrk.format("POST", nil, { ["content-type"] = "application/json", ["authorization"] = "Bearer " .. token }, body)
end
