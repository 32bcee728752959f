-- Takes one token from each bucket in KEYS, all or none, in one round trip (RedisBucketStore says why).
-- A bucket is stored as one number, the generic cell rate algorithm's "theoretical arrival time" (TAT): the
-- moment, in microseconds of the Redis server's clock, at which the bucket would be full again. That is the same
-- token bucket bucket4j keeps locally (size burst, one token back every interval, greedily), in one value.
-- ARGV, per key: microseconds per token (may be fractional), burst.
-- Returns {allowed (1|0), index of the deciding bucket (1-based), tokens left, microseconds until a token,
-- microseconds until full}. Refused: the bucket that refused; allowed: the one with the fewest tokens left.
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local tats = {}
local best, bestLeft, bestFull = 1, -1, 0
for i = 1, #KEYS do
  local interval = tonumber(ARGV[2 * i - 1])
  local burst = tonumber(ARGV[2 * i])
  local tat = tonumber(redis.call('GET', KEYS[i]) or now)
  if tat < now then tat = now end
  local after = tat + interval
  local size = burst * interval
  if after - now > size + 0.5 then
    return {0, i, 0, math.ceil(after - now - size), math.ceil(tat - now)}
  end
  tats[i] = after
  local left = math.floor((size - (after - now)) / interval + 0.000001)
  if bestLeft < 0 or left < bestLeft then best, bestLeft, bestFull = i, left, after - now end
end
for i = 1, #KEYS do
  -- %.17g writes the double exactly; Lua's default conversion keeps 14 digits, microseconds need 16.
  redis.call('SET', KEYS[i], string.format('%.17g', tats[i]), 'PX', math.ceil((tats[i] - now) / 1000))
end
return {1, best, bestLeft, 0, math.ceil(bestFull)}
