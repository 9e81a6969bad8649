// Strict ISO 8601 parsing for Marketo date and datetime fields. Date.parse is not used: it accepts
// many non-ISO forms and rolls impossible dates such as 2023-02-30 over into March.
import { offsetOfWallClock } from './time-zones.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const OFFSET = /^([+-])(\d{2}):?(\d{2})?$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (match === null) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const days = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number);
  return day <= days;
}

/** Marketo's offset form `+hh:mm`, or undefined for an out-of-range offset. */
function normaliseOffset(offset: string): string | undefined {
  if (offset === 'Z') return '+00:00';
  const match = OFFSET.exec(offset);
  if (match === null) return undefined;
  const [, sign, hours = '', minutes = '00'] = match;
  return Number(hours) <= 23 && Number(minutes) <= 59 ? `${sign}${hours}:${minutes}` : undefined;
}

interface DateTimeParts {
  date: string;
  time: string;
  offset: string | undefined;
}

function parseDateTime(text: string): DateTimeParts | undefined {
  const match = DATETIME.exec(text);
  if (match === null) return undefined;
  const [, date = '', hours = '', minutes = '', seconds = '00', offset] = match;
  if (!isCalendarDate(date) || Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59) return undefined;
  const normalisedOffset = offset === undefined ? undefined : normaliseOffset(offset);
  if (offset !== undefined && normalisedOffset === undefined) return undefined;
  return { date, time: `${hours}:${minutes}:${seconds}`, offset: normalisedOffset };
}

/** `YYYY-MM-DD` from a calendar date, or from the date part of a valid ISO datetime (as written, not shifted). */
export function toIsoDate(text: string): string | undefined {
  if (isCalendarDate(text)) return text;
  return parseDateTime(text)?.date;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `+hh:mm` for an offset in whole minutes; undefined for a local mean time offset with seconds. */
function offsetText(seconds: number): string | undefined {
  if (seconds % 60 !== 0) return undefined;
  const minutes = Math.abs(seconds) / 60;
  return `${seconds < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** Marketo's form of a wall-clock time read in `zone`. */
function zonedDateTime(date: string, time: string, zone: string): string {
  // date is YYYY-MM-DD and time hh:mm:ss, both checked: fixed positions.
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  const hours = Number(time.slice(0, 2));
  const minutes = Number(time.slice(3, 5));
  const seconds = Number(time.slice(6, 8));
  const offset = offsetOfWallClock(zone, { year, month, day, hours, minutes, seconds });
  const text = offsetText(offset);
  if (text !== undefined) return `${date}T${time}${text}`;
  // Marketo's form has no seconds in its offset (local mean time before 1900 has them): the same instant in UTC.
  const instant = new Date(0);
  instant.setUTCFullYear(year, month - 1, day);
  instant.setUTCHours(hours, minutes, seconds - offset, 0);
  const utcDate = `${pad(instant.getUTCFullYear(), 4)}-${pad(instant.getUTCMonth() + 1)}-${pad(instant.getUTCDate())}`;
  return `${utcDate}T${pad(instant.getUTCHours())}:${pad(instant.getUTCMinutes())}:${pad(instant.getUTCSeconds())}+00:00`;
}

/**
 * Marketo's documented form `YYYY-MM-DDThh:mm:ss+hh:mm` from an ISO datetime. One without an offset, or a plain
 * date (midnight), is a wall-clock time in `naiveZone`. Fractions of a second are dropped: Marketo keeps whole
 * seconds.
 */
export function toIsoDateTime(text: string, naiveZone: string): string | undefined {
  if (isCalendarDate(text)) return zonedDateTime(text, '00:00:00', naiveZone);
  const parts = parseDateTime(text);
  if (parts === undefined) return undefined;
  if (parts.offset === undefined) return zonedDateTime(parts.date, parts.time, naiveZone);
  return `${parts.date}T${parts.time}${parts.offset}`;
}
