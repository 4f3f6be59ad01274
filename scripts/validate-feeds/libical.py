"""Reads every .ics file under a folder with libical (through GObject introspection) and
runs libical's RFC 5545 restriction check on it.

Usage: /usr/bin/python3 libical.py DIR (needs Debian's gir1.2-ical-3.0 and python3-gi).
"""
import pathlib
import sys

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib  # noqa: E402


def errors(component):
    found = []
    prop = component.get_first_property(ICalGLib.PropertyKind.XLICERROR_PROPERTY)
    while prop is not None:
        found.append(prop.as_ical_string().strip())
        prop = component.get_next_property(ICalGLib.PropertyKind.XLICERROR_PROPERTY)
    child = component.get_first_component(ICalGLib.ComponentKind.ANY_COMPONENT)
    while child is not None:
        found.extend(errors(child))
        child = component.get_next_component(ICalGLib.ComponentKind.ANY_COMPONENT)
    return found


def main():
    root = pathlib.Path(sys.argv[1])
    feeds = sorted(root.rglob("*.ics"))
    if not feeds:
        sys.exit(f"no .ics files under {root}")
    events = 0
    for path in feeds:
        comp = ICalGLib.Component.new_from_string(path.read_text(encoding="utf-8"))
        if comp is None:
            sys.exit(f"{path}: libical could not parse it")
        found = errors(comp)
        if not ICalGLib.restriction_check(comp):
            found.extend(errors(comp))
            found.append("restriction check failed")
        if found:
            sys.exit(f"{path}: " + "; ".join(found))
        event = comp.get_first_component(ICalGLib.ComponentKind.VEVENT_COMPONENT)
        while event is not None:
            # The restriction check is lenient without METHOD: check what RFC 5545
            # requires of a VEVENT through libical's own reading of it.
            for kind in ("UID", "DTSTAMP", "DTSTART", "DTEND"):
                prop_kind = getattr(ICalGLib.PropertyKind, f"{kind}_PROPERTY")
                if event.get_first_property(prop_kind) is None:
                    sys.exit(f"{path}: event without {kind}")
            start, end = event.get_dtstart(), event.get_dtend()
            if not (start.is_utc() and end.is_utc()):
                sys.exit(f"{path}: {event.get_uid()}: times are not UTC")
            if ICalGLib.Time.compare(end, start) <= 0:
                sys.exit(f"{path}: {event.get_uid()}: DTEND is not after DTSTART")
            events += 1
            event = comp.get_next_component(ICalGLib.ComponentKind.VEVENT_COMPONENT)
    print(f"libical: {len(feeds)} feeds, {events} events, all pass the restriction check")


main()
