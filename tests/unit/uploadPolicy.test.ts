import { describe, expect, it } from 'vitest';
import {
  checkBackendUrl,
  classifyStatus,
  firstRetryMs,
  longestRetryMs,
  parseRetryAfter,
  retryDelayMs,
} from '../../src/shared/domain/uploadPolicy';

describe('classifyStatus', () => {
  it.each([
    [200, 'done'],
    [201, 'done'],
    [400, 'drop'],
    [401, 'drop'],
    [403, 'drop'],
    [404, 'drop'],
    [413, 'drop'],
    [415, 'drop'],
    [422, 'drop'],
    [408, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
  ] as const)('%i → %s', (status, outcome) => {
    expect(classifyStatus(status)).toBe(outcome);
  });
});

describe('retryDelayMs', () => {
  it('doubles with each failure, with jitter between half and all of the ceiling', () => {
    expect(retryDelayMs(1, 0)).toBe(firstRetryMs / 2);
    expect(retryDelayMs(1, 1)).toBe(firstRetryMs);
    expect(retryDelayMs(3, 1)).toBe(firstRetryMs * 4);
  });

  it('never waits longer than the cap, however many failures', () => {
    expect(retryDelayMs(40, 1)).toBe(longestRetryMs);
  });

  it('never retries sooner than Retry-After says', () => {
    expect(retryDelayMs(1, 0, 120_000)).toBe(120_000);
    expect(retryDelayMs(1, 1, 1000)).toBe(firstRetryMs);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 12:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('checkBackendUrl', () => {
  it.each([
    ['https://smarttags.example.org', 'https://smarttags.example.org'],
    ['https://smarttags.example.org/', 'https://smarttags.example.org'],
    ['https://example.org:8443', 'https://example.org:8443'],
    ['http://127.0.0.1:8787', 'http://127.0.0.1:8787'],
    ['http://localhost:8787/', 'http://localhost:8787'],
  ])('accepts %s', (input, origin) => {
    expect(checkBackendUrl(input)).toEqual({ ok: true, origin });
  });

  it.each([
    ['http://smarttags.example.org', /HTTPS only/],
    ['http://192.168.1.10:8787', /HTTPS only/],
    ['ftp://example.org', /HTTPS only/],
    ['smarttags.example.org', /not a URL/],
    ['https://user:secret@example.org', /user name or password/],
    ['https://example.org/api', /without a path/],
  ])('refuses %s', (input, reason) => {
    const result = checkBackendUrl(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});
