"""Calendar and fiscal arithmetic for the times stage: intervals and how to move them.

Everything here is plain date arithmetic, with no parse and no text: a newcomer can test any
of it in a REPL. An `Interval` is an inclusive pair of dates plus the granularity it names
("day", "week", "month", "quarter", "year", "decade", "century", or "range" for a stretch
that is none of those).

Conventions (TimeBank's where it has one):
- weeks run Monday to Sunday;
- quarters and halves are calendar ones, labelled by the calendar year they name;
- "the 20th century" is 1900-1999;
- early/mid/late split a month into days 1-10, 11-20, 21-end and longer spans into thirds.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from eventwire.time_vocab import words

# ---------------------------------------------------------------- intervals

@dataclass
class Interval:
    earliest: date
    latest: date
    granularity: str


def month_end(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def month_iv(y: int, m: int) -> Interval:
    return Interval(date(y, m, 1), date(y, m, month_end(y, m)), "month")


def year_iv(y: int) -> Interval:
    return Interval(date(y, 1, 1), date(y, 12, 31), "year")


def quarter_iv(y: int, q: int) -> Interval:
    m0 = 3 * (q - 1) + 1
    return Interval(date(y, m0, 1), date(y, m0 + 2, month_end(y, m0 + 2)), "quarter")


def week_iv(d: date) -> Interval:
    monday = d - timedelta(days=d.weekday())
    return Interval(monday, monday + timedelta(days=6), "week")


def day_iv(d: date) -> Interval:
    return Interval(d, d, "day")


def decade_iv(y0: int) -> Interval:
    return Interval(date(y0, 1, 1), date(y0 + 9, 12, 31), "decade")


def century_iv(n: int) -> Interval:
    # TimeBank reads "the 20th century" as 1900-1999 (value "19"), not 1901-2000.
    y0 = (n - 1) * 100
    return Interval(date(max(y0, 1), 1, 1), date(y0 + 99, 12, 31), "century")


def add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def shift_years(d: date, n: int) -> date:
    return safe_date(d.year + n, d.month, d.day) or date(d.year + n, d.month, 28)


def shift_iv_years(iv: Interval, n: int) -> Interval:
    """Move an interval by whole years, keeping its shape (a quarter stays that quarter)."""
    if iv.granularity == "month":
        return month_iv(iv.earliest.year + n, iv.earliest.month)
    if iv.granularity == "quarter":
        return quarter_iv(iv.earliest.year + n, (iv.earliest.month - 1) // 3 + 1)
    if iv.granularity == "year":
        return year_iv(iv.earliest.year + n)
    if iv.granularity == "week":
        return week_iv(shift_years(iv.earliest, n))
    return Interval(shift_years(iv.earliest, n), shift_years(iv.latest, n), iv.granularity)


def part_of(iv: Interval, part: str) -> Interval:
    """early/mid/late of a month (days 1-10, 11-20, 21-end) or of a longer span (thirds)."""
    if iv.granularity == "month":
        y, m = iv.earliest.year, iv.earliest.month
        lo, hi = {"early": (1, 10), "mid": (11, 20), "late": (21, month_end(y, m))}[part]
        return Interval(date(y, m, lo), date(y, m, hi), "range")
    total = (iv.latest - iv.earliest).days + 1
    third = total // 3
    if part == "early":
        return Interval(iv.earliest, iv.earliest + timedelta(days=third - 1), "range")
    if part == "mid":
        return Interval(iv.earliest + timedelta(days=third), iv.latest - timedelta(days=third), "range")
    return Interval(iv.latest - timedelta(days=third - 1), iv.latest, "range")


# ---------------------------------------------------------------- numbers in words

NUMBERS: dict[str, int] = words()["numbers"]
ORDINALS: dict[str, int] = words()["ordinals"]
MONTHS: dict[str, int] = words()["months"]


def parse_number(text: str) -> int | None:
    t = re.sub(r"\s+", " ", text.lower().strip())
    if t.isdigit():
        return int(t)
    if t in NUMBERS:
        return NUMBERS[t]
    parts = re.split(r"[\s-]+", t)
    if parts and parts[0] == "a":
        parts = parts[1:]
    total = 0
    for p in parts:
        if p not in NUMBERS:
            return None
        total = total * NUMBERS[p] if NUMBERS[p] == 100 else total + NUMBERS[p]
    return total or None


def parse_year(text: str) -> int | None:
    t = re.sub(r"[\s-]+", " ", text.lower().strip())
    if t.isdigit():
        return int(t)
    if t.startswith("'") and t[1:].isdigit():
        return None  # two-digit years need a century: resolved by the caller
    parts = t.replace(" and ", " ").split()
    if parts[:2] == ["two", "thousand"]:
        return 2000 + (parse_number(" ".join(parts[2:])) or 0) if parts[2:] else 2000
    head = NUMBERS.get(parts[0])
    if head is None or len(parts) < 2:
        return None
    rest = parts[1:]
    if rest == ["hundred"]:
        return head * 100
    if rest[0] in ("o", "oh"):
        rest = rest[1:]
    tail = parse_number(" ".join(rest))
    return head * 100 + tail if tail is not None and tail < 100 else None


def parse_day(text: str) -> int | None:
    t = text.lower()
    if t in ORDINALS:
        return ORDINALS[t]
    m = re.match(r"\d+", t)
    return int(m.group()) if m else None


def month_number(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]



# ---------------------------------------------------------------- named days

def easter(y: int) -> date:
    """Western (Gregorian) Easter Sunday, by the anonymous Gregorian computus."""
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return date(y, month, day)


def orthodox_easter(y: int) -> date:
    """Orthodox Easter Sunday: the Julian computus, carried to the Gregorian calendar (13
    days ahead from 1900 to 2099)."""
    a, b, c = y % 4, y % 7, y % 19
    d = (19 * c + 15) % 30
    e = (2 * a + 4 * b - d + 34) % 7
    month, day = divmod(d + e + 114, 31)
    return date(y, month, day + 1) + timedelta(days=y // 100 - y // 400 - 2)


def nth_weekday(y: int, m: int, weekday: int, n: int) -> date:
    """The n-th given weekday of a month (Monday = 0); n = -1 is the last one."""
    if n > 0:
        first = date(y, m, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(y, m, month_end(y, m))
    return last - timedelta(days=(last.weekday() - weekday) % 7 + 7 * (-n - 1))


def nearest_occurrence(dates: list[Interval], pub: date, direction: str | None) -> Interval | None:
    """Of the same named day or month in neighbouring years, the one a clause means: the
    latest not after `pub` ("past"), the first not before it ("future"), the one under way,
    else the nearer one, where the one ahead must be less than half as far as the one
    behind (news reports more than it announces)."""
    if not dates:
        return None
    past = [iv for iv in dates if iv.earliest <= pub]
    ahead = [iv for iv in dates if iv.latest >= pub]
    if direction == "past" and past:
        return max(past, key=lambda iv: iv.earliest)
    if direction == "future" and ahead:
        return min(ahead, key=lambda iv: iv.earliest)
    current = [iv for iv in dates if iv.earliest <= pub <= iv.latest]
    if current:
        return current[0]
    before = max(past, key=lambda iv: iv.earliest) if past else None
    after = min(ahead, key=lambda iv: iv.earliest) if ahead else None
    if before is None or after is None:
        return before or after
    return after if 2 * (after.earliest - pub).days < (pub - before.latest).days else before


def shift_by(d: date, unit: str, n: int) -> Interval | None:
    """The day, week, month, year or decade n units away from `d` (n < 0: back)."""
    if unit == "day":
        return day_iv(d + timedelta(days=n))
    if unit == "week":
        return week_iv(d + timedelta(days=7 * n))
    if unit == "month":
        y, m = add_months(d.year, d.month, n)
        return month_iv(y, m)
    if unit == "year":
        return year_iv(d.year + n)
    if unit == "decade":
        return decade_iv((d.year + 10 * n) // 10 * 10)
    return None


# How coarse each granularity is, finest first ("range" and unknown ones count as coarsest).
GRAIN_ORDER = ("day", "week", "month", "quarter", "year", "decade", "century")


def coarser(granularity: str, than: str) -> bool:
    """Is `granularity` coarser than `than`? ("month" is coarser than "day")"""
    rank = {g: k for k, g in enumerate(GRAIN_ORDER)}
    return rank.get(granularity, len(GRAIN_ORDER)) > rank.get(than, len(GRAIN_ORDER))


def move_from(told: Interval, unit: str, step) -> Interval | None:
    """Apply `step` (a date -> Interval, such as "the next day" or "the following Monday")
    to the time a story is telling. When that time is no coarser than the step's unit, the
    step starts from its first day. When it is coarser (the story says "that May" and then
    "the next day") the day it starts from is unknown: the answer is every day the step can
    reach from inside the told time, a "range" from the step of its first day to the step
    of its last."""
    if not coarser(told.granularity, unit):
        return step(told.earliest)
    first, last = step(told.earliest), step(told.latest)
    if first is None or last is None:
        return None
    return Interval(min(first.earliest, last.earliest), max(first.latest, last.latest), "range")


WEEKDAY_NUMBERS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
                   "sunday": 6}


def _month_day(text: str) -> tuple[int, int]:
    m, d = str(text).split("-")
    return int(m), int(d)


def holiday_in(rule: dict, y: int, tables: dict) -> Interval | None:
    """The date (or, for a table entry, the stretch) of a holiday in year y, from its rule in
    holidays.yaml; None when the rule says nothing for that year. A year that holds the
    holiday twice (a lunar month drifts 11 days a year) gives its first."""
    found = holidays_in(rule, y, tables)
    return found[0] if found else None


def holidays_in(rule: dict, y: int, tables: dict) -> list[Interval]:
    """Every date (or stretch) of a holiday that begins in year y, in order."""
    if "date" in rule:
        found = safe_date(y, *_month_day(rule["date"]))
        return [day_iv(found)] if found else []
    if "easter" in rule:
        return [day_iv(easter(y) + timedelta(days=int(rule["easter"])))]
    if "orthodox_easter" in rule:
        return [day_iv(orthodox_easter(y) + timedelta(days=int(rule["orthodox_easter"])))]
    if "nth_weekday" in rule:
        month, day_name, n = rule["nth_weekday"]
        found = nth_weekday(y, int(month), WEEKDAY_NUMBERS[day_name], int(n))
        return [day_iv(found + timedelta(days=int(rule.get("offset", 0))))]
    if "table" in rule:
        return [_from_table_row(rule, y, row) for row in _table_rows(tables, rule["table"], y)]
    return []


def _table_rows(tables: dict, name: str, y: int) -> list:
    """The [first, last] rows of year y in a year table: one pair, or a list of pairs."""
    row = (tables.get(name) or {}).get(y)
    if not row:
        return []
    return [row] if isinstance(row[0], str) else list(row)


def _from_table_row(rule: dict, y: int, row) -> Interval:
    """A table row as the holiday's stretch; `after_end: N` makes it the day N days after the
    stretch ends (Eid al-Fitr is the day after Ramadan), `after_start: N` N days after it
    begins."""
    (m1, d1), (m2, d2) = _month_day(row[0]), _month_day(row[1])
    first, last = date(y, m1, d1), date(y, m2, d2)
    if last < first:                      # runs into the next year
        last = date(y + 1, m2, d2)
    if "after_end" in rule:
        return day_iv(last + timedelta(days=int(rule["after_end"])))
    if "after_start" in rule:
        return day_iv(first + timedelta(days=int(rule["after_start"])))
    return Interval(first, last, "day" if first == last else "range")
