package cond

// instant is a point in time as seconds and nanoseconds since the Unix epoch.
type instant struct {
	sec  int64
	nsec int64
}

func compareInstant(a, b instant) int {
	switch {
	case a.sec < b.sec:
		return -1
	case a.sec > b.sec:
		return 1
	case a.nsec < b.nsec:
		return -1
	case a.nsec > b.nsec:
		return 1
	}
	return 0
}

// matchDate compares the request instant with each policy instant: request <op> policy.
func (c *Condition) matchDate(r string) (matched, typed bool) {
	t, ok := parseInstant(r)
	if !ok {
		return false, false
	}
	for _, v := range c.dates {
		if ordered(c.op.cmp, compareInstant(t, v)) {
			return true, true
		}
	}
	return false, true
}

// parseInstant parses the date forms AWS accepts: epoch seconds (digits only) or the W3C
// profiles of ISO 8601 — YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh:mm, ...Thh:mm:ss and
// ...Thh:mm:ss.fraction, each optionally followed by Z or ±hh:mm. A value without a zone is
// UTC (simulator convention). It allocates nothing (time.Parse would, for zone offsets).
func parseInstant(s string) (instant, bool) {
	if s != "" && digits(s) {
		if len(s) > 18 {
			return instant{}, false
		}
		return instant{sec: int64(atoi(s))}, true
	}
	p := scanner{s: s}
	year, ok := p.num(4)
	if !ok {
		return instant{}, false
	}
	month, day := 1, 1
	var hour, minute, second, nsec int
	if p.take('-') {
		if month, ok = p.num(2); !ok || month < 1 || month > 12 {
			return instant{}, false
		}
		if p.take('-') {
			if day, ok = p.num(2); !ok || day < 1 || day > daysIn(year, month) {
				return instant{}, false
			}
			if p.take('T') || p.take('t') {
				if hour, minute, second, nsec, ok = p.clock(); !ok {
					return instant{}, false
				}
			}
		}
	}
	offset, ok := p.zone()
	if !ok || p.i != len(p.s) {
		return instant{}, false
	}
	sec := daysFromCivil(year, month, day)*86400 + int64(hour*3600+minute*60+second) - int64(offset)
	return instant{sec: sec, nsec: int64(nsec)}, true
}

type scanner struct {
	s string
	i int
}

func (p *scanner) take(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// num reads exactly n digits.
func (p *scanner) num(n int) (int, bool) {
	if p.i+n > len(p.s) || !digits(p.s[p.i:p.i+n]) {
		return 0, false
	}
	v := atoi(p.s[p.i : p.i+n])
	p.i += n
	return v, true
}

// clock reads hh:mm[:ss[.fraction]].
func (p *scanner) clock() (hour, minute, second, nsec int, ok bool) {
	if hour, ok = p.num(2); !ok || hour > 23 || !p.take(':') {
		return 0, 0, 0, 0, false
	}
	if minute, ok = p.num(2); !ok || minute > 59 {
		return 0, 0, 0, 0, false
	}
	if !p.take(':') {
		return hour, minute, 0, 0, true
	}
	if second, ok = p.num(2); !ok || second > 59 {
		return 0, 0, 0, 0, false
	}
	if p.take('.') {
		start := p.i
		for p.i < len(p.s) && '0' <= p.s[p.i] && p.s[p.i] <= '9' {
			p.i++
		}
		frac := p.s[start:p.i]
		if frac == "" {
			return 0, 0, 0, 0, false
		}
		for i, scale := 0, 100000000; i < len(frac) && i < 9; i, scale = i+1, scale/10 {
			nsec += int(frac[i]-'0') * scale
		}
	}
	return hour, minute, second, nsec, true
}

// zone reads an optional Z or ±hh:mm (or ±hhmm) and returns its offset in seconds.
func (p *scanner) zone() (int, bool) {
	if p.i == len(p.s) || p.take('Z') || p.take('z') {
		return 0, true
	}
	sign := 1
	switch {
	case p.take('+'):
	case p.take('-'):
		sign = -1
	default:
		return 0, false
	}
	h, ok := p.num(2)
	if !ok || h > 23 {
		return 0, false
	}
	p.take(':')
	m, ok := p.num(2)
	if !ok || m > 59 {
		return 0, false
	}
	return sign * (h*3600 + m*60), true
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil returns the number of days from 1970-01-01 to the given proleptic Gregorian
// date (H. Hinnant's algorithm).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}
