//! Prometheus durations (`for: 5m`, `group_wait: 30s`, `1h30m`), read as Prometheus'
//! `model.ParseDuration` reads them: units y, w, d, h, m, s, ms, largest first, each at
//! most once; `0` alone is zero.

/// A duration in milliseconds.
pub fn parse_duration(s: &str) -> Result<u64, String> {
    const UNITS: [(&str, u64); 7] = [
        ("y", 365 * 24 * 3_600_000),
        ("w", 7 * 24 * 3_600_000),
        ("d", 24 * 3_600_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1_000),
        ("ms", 1),
    ];
    let bad = || {
        format!(
            "`{s}` is not a duration: write a number and a unit, largest first, like 30s, 5m or 1h30m (units y, w, d, h, m, s, ms)"
        )
    };
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(bad());
    }
    let mut rest = s;
    let mut next_unit = 0;
    let mut total: u64 = 0;
    while !rest.is_empty() {
        let digits = rest.chars().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return Err(bad());
        }
        let n: u64 = rest[..digits].parse().map_err(|_| bad())?;
        let after = &rest[digits..];
        // `ms` before `m`, so that 5ms is not read as 5m and a stray `s`.
        let unit = UNITS[next_unit..]
            .iter()
            .enumerate()
            .filter(|(_, (u, _))| after.starts_with(u))
            .max_by_key(|(_, (u, _))| u.len())
            .map(|(i, u)| (i + next_unit, *u));
        let Some((index, (name, millis))) = unit else {
            return Err(bad());
        };
        total = n
            .checked_mul(millis)
            .and_then(|v| total.checked_add(v))
            .filter(|v| *v <= i64::MAX as u64)
            .ok_or_else(|| format!("`{s}` is too long a duration"))?;
        next_unit = index + 1;
        rest = &after[name.len()..];
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::parse_duration;

    #[test]
    fn reads_prometheus_durations() {
        assert_eq!(parse_duration("5m"), Ok(300_000));
        assert_eq!(parse_duration("1h30m"), Ok(5_400_000));
        assert_eq!(parse_duration("1d2h3m4s5ms"), Ok(93_784_005));
        assert_eq!(parse_duration("0"), Ok(0));
        assert_eq!(parse_duration("250ms"), Ok(250));
        for bad in ["", "5", "m", "1m1h", "1m1m", "1.5h", "-1m", " 5m"] {
            assert!(parse_duration(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
