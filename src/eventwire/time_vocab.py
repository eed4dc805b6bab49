"""The words and tables of the times stage, read from commented YAML under data/.

    times.yaml          calendar words (months, weekdays, numbers) and tense cue words
    time_patterns.yaml  the pattern table: one regular expression per form, naming its handler
    holidays.yaml       named days: fixed dates, computed dates (Easter, nth weekday), year tables

Each file can be extended by the user (`EVENTWIRE_TIMES`, `EVENTWIRE_TIME_PATTERNS`,
`EVENTWIRE_HOLIDAYS`: colon-separated paths); later files add to or override earlier ones.
"""
from __future__ import annotations


from eventwire.datafiles import layered, parse_yaml


def _merge(paths: tuple[str, ...]) -> dict:
    """Top-level keys of later files replace or extend those of earlier ones."""
    out: dict = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            data = parse_yaml(f) or {}
        for key, value in data.items():
            if isinstance(value, dict) and isinstance(out.get(key), dict):
                out[key] = {**out[key], **value}
            elif isinstance(value, list) and isinstance(out.get(key), list):
                out[key] = out[key] + value
            else:
                out[key] = value
    return out


def words() -> dict:
    return layered("times.yaml", "EVENTWIRE_TIMES", _merge)


def pattern_table() -> list[dict]:
    return layered("time_patterns.yaml", "EVENTWIRE_TIME_PATTERNS", _merge)["patterns"]


def holiday_table() -> dict:
    return layered("holidays.yaml", "EVENTWIRE_HOLIDAYS", _merge)
