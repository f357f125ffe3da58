import { describe, expect, it } from 'vitest';
import { addDays, isCalendarDate, isTimeZone, localDateOf } from '../../src/shared/domain/dates';

describe('local dates', () => {
  it('puts an instant on the calendar date of the given zone', () => {
    const instant = Date.UTC(2026, 10, 25, 23, 30);
    expect(localDateOf(instant, 'UTC')).toBe('2026-11-25');
    expect(localDateOf(instant, 'Europe/Berlin')).toBe('2026-11-26');
    expect(localDateOf(instant, 'America/Los_Angeles')).toBe('2026-11-25');
  });

  it('adds calendar days across month, year and DST boundaries', () => {
    expect(addDays('2026-11-25', -29)).toBe('2026-10-27');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
  });

  it('recognises real calendar dates and time zones only', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('26-11-25')).toBe(false);
    expect(isTimeZone('Asia/Kolkata')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
