import type { Redis } from 'ioredis'

export interface LimitResult {
  readonly allowed: boolean
  readonly count: number
  /** Milliseconds until the window resets. */
  readonly resetMs: number
}

/**
 * Fixed-window counters for domain rate limits (e.g. signatures per IP per petition). In memory
 * for one process; in Redis when `REDIS_URL` is set, so every process sees the same counts.
 */
export interface Limiter {
  hit(key: string, max: number, windowMs: number, now?: number): Promise<LimitResult>
  readonly shared: boolean
}

export function memoryLimiter(): Limiter {
  const windows = new Map<string, { count: number; resetAt: number }>()
  let sweepAt = 0
  return {
    shared: false,
    async hit(key, max, windowMs, now = Date.now()) {
      if (now > sweepAt) {
        for (const [k, w] of windows) if (w.resetAt <= now) windows.delete(k)
        sweepAt = now + 60_000
      }
      let w = windows.get(key)
      if (!w || w.resetAt <= now) {
        w = { count: 0, resetAt: now + windowMs }
        windows.set(key, w)
      }
      w.count++
      return { allowed: w.count <= max, count: w.count, resetMs: w.resetAt - now }
    },
  }
}

// INCR and set the expiry on the first hit, atomically.
const HIT_SCRIPT = `
local c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {c, redis.call('PTTL', KEYS[1])}`

export function redisLimiter(redis: Redis, prefix = 'ts:limit:'): Limiter {
  return {
    shared: true,
    async hit(key, max, windowMs) {
      const [count, ttl] = (await redis.eval(HIT_SCRIPT, 1, prefix + key, String(windowMs))) as [
        number,
        number,
      ]
      return { allowed: count <= max, count, resetMs: Math.max(0, ttl) }
    },
  }
}
