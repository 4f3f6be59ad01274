// Reads every .ics file under a folder with Mozilla's ical.js (the parser in Thunderbird).
// Usage: node validate.mjs DIR. Exits non-zero on the first feed it rejects.
import fs from "node:fs";
import path from "node:path";
import ICAL from "ical.js";

function feeds(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? feeds(p) : p.endsWith(".ics") ? [p] : [];
  });
}

const files = feeds(process.argv[2]).sort();
if (files.length === 0) {
  console.error(`no .ics files under ${process.argv[2]}`);
  process.exit(1);
}
let total = 0;
for (const file of files) {
  const comp = new ICAL.Component(ICAL.parse(fs.readFileSync(file, "utf8")));
  if (comp.name !== "vcalendar") throw new Error(`${file}: not a VCALENDAR`);
  for (const prop of ["version", "prodid", "calscale"]) {
    if (!comp.getFirstPropertyValue(prop)) throw new Error(`${file}: no ${prop.toUpperCase()}`);
  }
  for (const vevent of comp.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(vevent);
    if (!event.uid) throw new Error(`${file}: event without UID`);
    if (!vevent.getFirstPropertyValue("dtstamp")) throw new Error(`${file}: event without DTSTAMP`);
    const start = event.startDate;
    const end = event.endDate;
    if (start.isDate || start.zone.tzid !== "UTC") throw new Error(`${file}: ${event.uid}: DTSTART is not a UTC time`);
    if (end.compare(start) <= 0) throw new Error(`${file}: ${event.uid}: DTEND is not after DTSTART`);
    total += 1;
  }
}
console.log(`ical.js: ${files.length} feeds, ${total} events, all valid`);
