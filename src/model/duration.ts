/**
 * Parsing of a WAIT task's `duration` and `until` inputs, with the forms Conductor's DateTimeUtils accepts.
 */

// Conductor's parseDuration regex: each unit at most once, in this order, spaces optional, any case.
const DURATION_PATTERN =
  /^\s*(?:(\d+)\s*(?:days?|d))?\s*(?:(\d+)\s*(?:hours?|hrs?|h))?\s*(?:(\d+)\s*(?:minutes?|mins?|m))?\s*(?:(\d+)\s*(?:seconds?|secs?|s))?\s*$/i;

const SECONDS_PER_UNIT = [86_400, 3_600, 60, 1] as const;

// Conductor reads each number with Integer.parseInt, which rejects anything larger.
const JAVA_INT_MAX = 2_147_483_647;

/**
 * Milliseconds of a duration such as `"10s"`, `"1d 2h 3m 4s"`, `"5 minutes"` or `"2 days 3 hours"`.
 *
 * @returns null when the text is not a duration. A blank string names no unit and also gives null: Conductor's
 * callers treat a blank duration as absent before they parse it.
 */
export function parseWaitDuration(s: string): number | null {
  const match = DURATION_PATTERN.exec(s);
  if (!match || match.slice(1).every((group) => group === undefined)) return null;
  let seconds = 0;
  for (const [i, unitSeconds] of SECONDS_PER_UNIT.entries()) {
    const amount = match[i + 1] === undefined ? 0 : Number(match[i + 1]);
    if (amount > JAVA_INT_MAX) return null;
    seconds += amount * unitSeconds;
  }
  return seconds * 1000;
}

// "yyyy-MM-dd", "yyyy-MM-dd HH:mm" and "yyyy-MM-dd HH:mm z" (Conductor's DateTimeUtils patterns).
const UNTIL_PATTERN = /^(\d{4})-(\d{1,2})-(\d{1,2})(?: (\d{1,2}):(\d{1,2})(?: (\S+))?)?$/;

/**
 * Epoch milliseconds of an `until` time: `"yyyy-MM-dd HH:mm"`, `"yyyy-MM-dd HH:mm z"` or `"yyyy-MM-dd"`.
 *
 * Without a zone the time is read as UTC. Conductor uses the server JVM's default zone there; an embedded
 * engine must not depend on the host's zone, and UTC is what Conductor servers usually run with.
 * Out-of-range fields (month 13, February 30) are rejected, where Java's lenient parser would roll them over.
 *
 * @returns null when the text is not such a time.
 */
export function parseWaitUntil(s: string): number | null {
  const match = UNTIL_PATTERN.exec(s);
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1, 6).map((part) => Number(part ?? 0));
  if (!isValidDate(year, month, day) || hour > 23 || minute > 59) return null;
  const offsetMinutes = match[6] === undefined ? 0 : parseZoneOffsetMinutes(match[6]);
  if (offsetMinutes === null) return null;
  return utcMillis(year, month, day, hour, minute) - offsetMinutes * 60_000;
}

function isValidDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one.
  return day <= new Date(utcMillis(year, month + 1, 0, 0, 0)).getUTCDate();
}

/** Date.UTC, but years 0–99 stay as given instead of meaning 1900–1999. */
function utcMillis(year: number, month: number, day: number, hour: number, minute: number): number {
  const date = new Date(Date.UTC(2000, 0, 1, hour, minute));
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

// Offsets of the abbreviations Java's `z` parses most often (English zone names); an abbreviation names a
// fixed offset when parsed, so PDT is always -7 h and PST always -8 h.
const ZONE_ABBREVIATIONS: Readonly<Record<string, number>> = {
  UTC: 0,
  UT: 0,
  GMT: 0,
  WET: 0,
  WEST: 60,
  BST: 60,
  CET: 60,
  CEST: 120,
  EET: 120,
  EEST: 180,
  MSK: 180,
  IST: 330,
  SGT: 480,
  HKT: 480,
  JST: 540,
  KST: 540,
  AEST: 600,
  AEDT: 660,
  NZST: 720,
  NZDT: 780,
  HST: -600,
  AKST: -540,
  AKDT: -480,
  PST: -480,
  PDT: -420,
  MST: -420,
  MDT: -360,
  CST: -360,
  CDT: -300,
  EST: -300,
  EDT: -240,
};

// "GMT+05:30", "UTC-8", "+0530", "-08:00": an optional GMT/UTC prefix, then a signed hours[:minutes] offset.
const NUMERIC_ZONE_PATTERN = /^(?:GMT|UTC)?([+-])(\d{1,2})(?::?(\d{2}))?$/i;

/** Minutes east of UTC for a zone such as `UTC`, `GMT+05:30`, `+0530` or `PST`; null when unknown. */
function parseZoneOffsetMinutes(zone: string): number | null {
  const abbreviation = zone.toUpperCase();
  if (Object.hasOwn(ZONE_ABBREVIATIONS, abbreviation)) return ZONE_ABBREVIATIONS[abbreviation];
  const match = NUMERIC_ZONE_PATTERN.exec(zone);
  if (!match) return null;
  const hours = Number(match[2]);
  const minutes = Number(match[3] ?? 0);
  if (hours > 23 || minutes > 59) return null;
  return (match[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}
