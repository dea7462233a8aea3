// The Lua scripts behind RedisCounters. Each runs atomically in Redis, so a multi-counter admission is
// all-or-nothing across every gateway instance. Layout of one counter `<prefix><key>`:
//   hash  <prefix><key>    s = window start (epoch ms), u = used in that window, r = sum held by reservations
//   zset  <prefix><key>:r  pending reservations, member `<id>|<amount>`, score = expiry (epoch ms)
// Windows are computed by the caller (calendar months are easier in TypeScript) and passed as start and end;
// a window never moves backwards, so an instance whose clock lags cannot reset a counter another one started.
// Amounts may be fractional dollars: Lua numbers are doubles, written back with 17 significant digits, and
// returned as strings because Redis truncates Lua numbers in replies to integers.

const prelude = `
local function fmt(value) return string.format('%.17g', value) end
local function extend(key, at, now)
  if redis.call('PTTL', key) < at - now then redis.call('PEXPIREAT', key, at) end
end
`;

/**
 * Checks and takes from every counter, or from none. KEYS: hash and zset per counter. ARGV: now, reservation
 * id ('' consumes into `u` instead of reserving), reservation expiry, then per counter limit, window start,
 * window end, amount. A counter refuses when u + r >= limit; expired reservations are dropped first.
 * Replies {admitted 1|0, refusing counter (1-based) or 0, then per counter used and reserved afterwards}.
 */
export const admitScript = `${prelude}
local now, id, expiry = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3])
local n = #KEYS / 2
local starts, used, reserved = {}, {}, {}
local refused = 0
for i = 1, n do
  local hash, zset, a = KEYS[2 * i - 1], KEYS[2 * i], 4 * i
  local limit, start = tonumber(ARGV[a]), tonumber(ARGV[a + 1])
  local state = redis.call('HMGET', hash, 's', 'u', 'r')
  local s, u, r = tonumber(state[1]), tonumber(state[2]) or 0, tonumber(state[3]) or 0
  if s == nil or s < start then s = start; u = 0 end
  if r ~= 0 then
    local stale = redis.call('ZRANGEBYSCORE', zset, '-inf', now)
    if #stale > 0 then
      for _, member in ipairs(stale) do r = r - tonumber(string.match(member, '|(.*)$')) end
      redis.call('ZREMRANGEBYSCORE', zset, '-inf', now)
      if r < 0 or redis.call('ZCARD', zset) == 0 then r = 0 end
      redis.call('HSET', hash, 'r', fmt(r))
    end
  end
  starts[i], used[i], reserved[i] = s, u, r
  if refused == 0 and u + r >= limit then refused = i end
end
if refused == 0 then
  for i = 1, n do
    local hash, zset, a = KEYS[2 * i - 1], KEYS[2 * i], 4 * i
    local keep = tonumber(ARGV[a + 2])
    if id == '' then
      used[i] = used[i] + tonumber(ARGV[a + 3])
    else
      reserved[i] = reserved[i] + tonumber(ARGV[a + 3])
      redis.call('ZADD', zset, expiry, id .. '|' .. ARGV[a + 3])
      if expiry > keep then keep = expiry end
      extend(zset, keep, now)
    end
    redis.call('HSET', hash, 's', fmt(starts[i]), 'u', fmt(used[i]), 'r', fmt(reserved[i]))
    extend(hash, keep, now)
  end
end
local reply = { refused == 0 and 1 or 0, refused }
for i = 1, n do
  reply[#reply + 1] = fmt(used[i])
  reply[#reply + 1] = fmt(reserved[i])
end
return reply
`;

/**
 * Settles a reservation on every counter. KEYS: hash and zset per counter. ARGV: now, reservation id, then per
 * counter window start, window end, amount held (as reserved), actual amount. The held amount is given back
 * only if the reservation is still pending; the actual amount is always charged, to the current window.
 */
export const settleScript = `${prelude}
local now, id = tonumber(ARGV[1]), ARGV[2]
for i = 1, #KEYS / 2 do
  local hash, zset, a = KEYS[2 * i - 1], KEYS[2 * i], 2 + 4 * (i - 1)
  local start, stop = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
  local state = redis.call('HMGET', hash, 's', 'u', 'r')
  local s, u, r = tonumber(state[1]), tonumber(state[2]) or 0, tonumber(state[3]) or 0
  if s == nil or s < start then s = start; u = 0 end
  if redis.call('ZREM', zset, id .. '|' .. ARGV[a + 3]) == 1 then
    r = r - tonumber(ARGV[a + 3])
    if r < 0 or redis.call('ZCARD', zset) == 0 then r = 0 end
  end
  u = u + tonumber(ARGV[a + 4])
  redis.call('HSET', hash, 's', fmt(s), 'u', fmt(u), 'r', fmt(r))
  extend(hash, stop, now)
end
return 1
`;

/**
 * Adds usage without a check. KEYS: one hash per counter. ARGV: now, then per counter window start, window
 * end, amount. A charge for a window that has already given way to a later one is dropped.
 */
export const chargeScript = `${prelude}
local now = tonumber(ARGV[1])
for i = 1, #KEYS do
  local hash, a = KEYS[i], 2 + 3 * (i - 1)
  local start = tonumber(ARGV[a])
  local state = redis.call('HMGET', hash, 's', 'u')
  local s, u = tonumber(state[1]), tonumber(state[2]) or 0
  if s == nil or s < start then s = start; u = 0 end
  if s == start then
    redis.call('HSET', hash, 's', fmt(s), 'u', fmt(u + tonumber(ARGV[a + 2])))
    extend(hash, tonumber(ARGV[a + 1]), now)
  end
end
return 1
`;

/**
 * Starts a counter's window at a durable copy of its usage unless Redis already holds that window (another
 * instance seeded it, or it has been counting). KEYS: hash. ARGV: now, window start, window end, amount.
 */
export const seedScript = `${prelude}
local now, start = tonumber(ARGV[1]), tonumber(ARGV[2])
local s = tonumber(redis.call('HGET', KEYS[1], 's'))
if s == nil or s < start then
  redis.call('HSET', KEYS[1], 's', fmt(start), 'u', fmt(tonumber(ARGV[4])))
  extend(KEYS[1], tonumber(ARGV[3]), now)
end
return 1
`;

/**
 * Reads one counter without changing it. KEYS: hash, zset. ARGV: now, window start. Replies {used, reserved},
 * leaving out reservations that have expired.
 */
export const usageScript = `${prelude}
local now, start = tonumber(ARGV[1]), tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 's', 'u')
local s, u = tonumber(state[1]), tonumber(state[2]) or 0
if s == nil or s < start then u = 0 end
local r = 0
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. now, '+inf')) do
  r = r + tonumber(string.match(member, '|(.*)$'))
end
return { fmt(u), fmt(r) }
`;
