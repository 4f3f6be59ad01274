#!/usr/bin/env python3
"""Writes the German public holidays of some years as an iCalendar file, the way a
government or calendar app publishes them, using two libraries independent of rota:
`holidays` for the dates and names and `icalendar` for the file. Prints the same days
as JSON ([{"date", "name"}], by date) for the test to compare rota's import with.

Usage: german-holidays-ics.py OUT.ics YEAR...   (tests/testsuite/rules/holidays.rs runs it)
"""

import datetime
import json
import sys

import holidays
import icalendar


def main() -> None:
    out, years = sys.argv[1], [int(y) for y in sys.argv[2:]]
    days = holidays.country_holidays("DE", years=years, language="de")
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//rota tests//German public holidays//DE")
    calendar.add("version", "2.0")
    listed = []
    for date, name in sorted(days.items()):
        event = icalendar.Event()
        event.add("uid", f"{date.isoformat()}@holidays.test")
        event.add("dtstamp", datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc))
        event.add("dtstart", date)
        event.add("dtend", date + datetime.timedelta(days=1))
        event.add("summary", name)
        calendar.add_component(event)
        listed.append({"date": date.isoformat(), "name": name})
    with open(out, "wb") as f:
        f.write(calendar.to_ical())
    json.dump(listed, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
