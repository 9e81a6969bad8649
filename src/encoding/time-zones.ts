// Wall-clock times without an offset (Postgres `timestamp without time zone`, MySQL DATETIME, Airbyte's
// timestamp_without_timezone) are read in one configured IANA zone. Intl knows every zone's history, DST included.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) formatters.set(zone, (formatter = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })));
  return formatter;
}

// "GMT", "GMT+05:30" or, before standard time, a local mean time such as "GMT-04:56:02".
const LONG_OFFSET = /^GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** The zone's offset from UTC at an instant, in seconds. */
function offsetSecondsAt(zone: string, instantMs: number): number {
  const name = formatterFor(zone)
    .formatToParts(instantMs)
    .find((part) => part.type === 'timeZoneName')?.value;
  const match = LONG_OFFSET.exec(name ?? '');
  if (!match) throw new Error(`unexpected time zone name "${name}" for ${zone}`);
  const [, sign, hours = '0', minutes = '0', seconds = '0'] = match;
  const total = Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
  return sign === '-' ? -total : total;
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hours: number;
  minutes: number;
  seconds: number;
}

/**
 * The offset (in seconds) that `zone` had at a wall-clock time. A time that occurs twice (clocks set back) takes
 * the earlier offset; a time skipped by a DST change takes the offset before the change, so it lands as far after
 * the change as it was meant to be after the old midnight: the rule of Temporal's "compatible" disambiguation.
 */
export function offsetOfWallClock(zone: string, wall: WallClock): number {
  const steady = steadyOffsetOfDay(zone, wall);
  return steady ?? offsetAroundChange(zone, wall);
}

const DAY_MS = 86_400_000;
/** Per zone and date, the one offset of the whole day, or null on a day near a change; Intl is slow per row. */
const steadyDays = new Map<string, number | null>();
const MAX_STEADY_DAYS = 100_000;

function steadyOffsetOfDay(zone: string, wall: WallClock): number | undefined {
  const key = `${zone} ${wall.year}-${wall.month}-${wall.day}`;
  let offset = steadyDays.get(key);
  if (offset === undefined) {
    const midnight = new Date(0);
    midnight.setUTCFullYear(wall.year, wall.month - 1, wall.day);
    // No zone changes its offset twice within a few days: the same offset either side means none that day.
    const before = offsetSecondsAt(zone, midnight.getTime() - 2 * DAY_MS);
    offset = before === offsetSecondsAt(zone, midnight.getTime() + 3 * DAY_MS) ? before : null;
    if (steadyDays.size >= MAX_STEADY_DAYS) steadyDays.clear();
    steadyDays.set(key, offset);
  }
  return offset ?? undefined;
}

function offsetAroundChange(zone: string, wall: WallClock): number {
  const asUtc = new Date(0);
  // setUTCFullYear, not Date.UTC: the latter maps years 0 to 99 onto 1900 to 1999.
  asUtc.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  asUtc.setUTCHours(wall.hours, wall.minutes, wall.seconds, 0);
  const local = asUtc.getTime();
  // The offsets a day either side bound every offset this wall-clock time could have.
  const before = offsetSecondsAt(zone, local - 86_400_000);
  const after = offsetSecondsAt(zone, local + 86_400_000);
  const fits = (offset: number): boolean => offsetSecondsAt(zone, local - offset * 1000) === offset;
  if (fits(before)) return before;
  if (fits(after)) return after;
  return before;
}
