"""Reads every .ics file under a folder with Python's icalendar and vobject (validate=True).

Usage: validate.py DIR. Exits non-zero on the first feed either reader rejects.
"""
import pathlib
import sys

import icalendar
import vobject


def check_icalendar(path, data):
    cal = icalendar.Calendar.from_ical(data)
    events = cal.walk("VEVENT")
    for ev in events:
        for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            if prop not in ev:
                raise ValueError(f"{path}: event without {prop}")
        start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
        if start.tzinfo is None or start.utcoffset().total_seconds() != 0:
            raise ValueError(f"{path}: DTSTART is not UTC: {start!r}")
        if not end > start:
            raise ValueError(f"{path}: DTEND {end} is not after DTSTART {start}")
    if "METHOD" in cal:
        raise ValueError(f"{path}: METHOD without ORGANIZER")
    return len(events)


def check_vobject(path, text):
    cal = vobject.readOne(text, validate=True)
    cal.validate()
    return len(getattr(cal, "vevent_list", []))


def main():
    root = pathlib.Path(sys.argv[1])
    feeds = sorted(root.rglob("*.ics"))
    if not feeds:
        sys.exit(f"no .ics files under {root}")
    total = 0
    for path in feeds:
        data = path.read_bytes()
        a = check_icalendar(path, data)
        b = check_vobject(path, data.decode("utf-8"))
        if a != b:
            raise ValueError(f"{path}: icalendar saw {a} events, vobject {b}")
        total += a
    print(f"python icalendar {icalendar.__version__} and vobject: {len(feeds)} feeds, {total} events, all valid")


main()
