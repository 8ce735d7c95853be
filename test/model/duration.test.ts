import { describe, expect, it } from 'vitest';
import { parseWaitDuration, parseWaitUntil } from '../../src/model/duration.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('parseWaitDuration', () => {
  it.each([
    ['10s', 10 * SECOND],
    ['30 seconds', 30 * SECOND],
    ['1 second', SECOND],
    ['5 secs', 5 * SECOND],
    ['5 minutes', 5 * MINUTE],
    ['2 mins', 2 * MINUTE],
    ['7m', 7 * MINUTE],
    ['1 hour', HOUR],
    ['3 hrs', 3 * HOUR],
    ['2h', 2 * HOUR],
    ['2 days 3 hours', 2 * DAY + 3 * HOUR],
    ['1d', DAY],
    ['1d 2h 3m 4s', DAY + 2 * HOUR + 3 * MINUTE + 4 * SECOND],
    ['1d2h3m4s', DAY + 2 * HOUR + 3 * MINUTE + 4 * SECOND],
    ['  1h 30m  ', HOUR + 30 * MINUTE],
    ['1 HOUR 5 Minutes', HOUR + 5 * MINUTE],
    ['0s', 0],
  ])('reads %j as %i ms', (text, ms) => {
    expect(parseWaitDuration(text)).toBe(ms);
  });

  it.each([
    ['a number without a unit', '10'],
    ['units out of order', '3m 1h'],
    ['a repeated unit', '1s 2s'],
    ['an unknown unit', '2 weeks'],
    ['a fraction', '1.5h'],
    ['a negative amount', '-5s'],
    ['milliseconds', '30ms'],
    ['trailing text', '5s later'],
    ['an ISO-8601 duration', 'PT5S'],
  ])('rejects %s', (_, text) => {
    expect(parseWaitDuration(text)).toBeNull();
  });

  it('gives null for a blank string, which names no duration', () => {
    expect(parseWaitDuration('')).toBeNull();
    expect(parseWaitDuration('   ')).toBeNull();
  });

  it('rejects an amount Conductor cannot read as a Java int', () => {
    expect(parseWaitDuration('2147483647s')).toBe(2147483647 * SECOND);
    expect(parseWaitDuration('2147483648s')).toBeNull();
  });
});

describe('parseWaitUntil', () => {
  it('reads yyyy-MM-dd HH:mm as UTC when no zone is given', () => {
    expect(parseWaitUntil('2024-03-05 14:30')).toBe(Date.UTC(2024, 2, 5, 14, 30));
  });

  it('reads yyyy-MM-dd as midnight UTC', () => {
    expect(parseWaitUntil('2024-03-05')).toBe(Date.UTC(2024, 2, 5));
  });

  it.each([
    ['UTC', 0],
    ['GMT', 0],
    ['utc', 0],
    ['+05:30', 330],
    ['GMT+05:30', 330],
    ['UTC+5', 300],
    ['-0800', -480],
    ['GMT-08:00', -480],
    ['PST', -480],
    ['PDT', -420],
    ['EST', -300],
    ['CET', 60],
    ['IST', 330],
  ])('reads the zone %s as UTC%+i minutes', (zone, offsetMinutes) => {
    expect(parseWaitUntil(`2024-03-05 14:30 ${zone}`)).toBe(
      Date.UTC(2024, 2, 5, 14, 30) - offsetMinutes * MINUTE,
    );
  });

  it('accepts one-digit month, day and hour as Java does', () => {
    expect(parseWaitUntil('2024-3-5 9:05')).toBe(Date.UTC(2024, 2, 5, 9, 5));
  });

  it('accepts a leap day only in a leap year', () => {
    expect(parseWaitUntil('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseWaitUntil('2023-02-29')).toBeNull();
  });

  it.each([
    ['month 13', '2024-13-01'],
    ['day 32', '2024-01-32'],
    ['February 30', '2024-02-30'],
    ['hour 24', '2024-01-01 24:00'],
    ['minute 60', '2024-01-01 10:60'],
    ['an ISO-8601 T separator', '2024-01-01T10:00'],
    ['seconds', '2024-01-01 10:00:00'],
    ['an unknown zone', '2024-01-01 10:00 XYZ'],
    ['an IANA zone id (Java z does not parse ids)', '2024-01-01 10:00 Europe/Paris'],
    ['a zone offset beyond 23 hours', '2024-01-01 10:00 +24:00'],
    ['a zone after a bare date', '2024-01-01 UTC'],
    ['trailing space', '2024-01-01 '],
    ['a two-digit year', '24-01-01'],
    ['text', 'tomorrow'],
  ])('rejects %s', (_, text) => {
    expect(parseWaitUntil(text)).toBeNull();
  });

  it('keeps years below 100 as given', () => {
    expect(new Date(parseWaitUntil('0099-01-01')!).getUTCFullYear()).toBe(99);
  });
});
