package main

import (
	"context"
	"slices"
	"time"
)

// target is one load point: where, what (signed afresh each round) and how hard.
type target struct {
	label string
	base  string
	proc  *Proc // the server behind base, waited on after each run until it is idle
	call  func() (*Call, error)
	load  Load
}

// runRounds drives every target in turn, round after round, so that load from outside the
// harness that comes and goes falls on all of them alike rather than on whichever ran at the
// wrong moment. Each target is warmed up once first. A round lasts Load.Duration/rounds.
func runRounds(ctx context.Context, o *Options, work string, targets []target) ([]Result, error) {
	per := make([][]Result, len(targets))
	for _, t := range targets {
		if t.load.Warmup <= 0 {
			continue
		}
		c, err := t.call()
		if err != nil {
			return nil, err
		}
		warm := t.load
		warm.Duration, warm.Warmup = t.load.Warmup, 0
		if _, err := runWrk(ctx, o.Wrk, work, t.base, c, warm); err != nil {
			return nil, err
		}
		if err := t.proc.settle(ctx); err != nil {
			return nil, err
		}
	}
	rounds := max(1, o.Rounds)
	for r := range rounds {
		for i, t := range targets {
			c, err := t.call()
			if err != nil {
				return nil, err
			}
			l := t.load
			l.Warmup, l.Duration = 0, max(time.Second, t.load.Duration/time.Duration(rounds))
			res, err := runWrk(ctx, o.Wrk, work, t.base, c, l)
			if err != nil {
				return nil, err
			}
			per[i] = append(per[i], res)
			// wrk stops with requests in flight; a slow server (moto) goes on answering them for up
			// to a second, and that work must not fall on the next point.
			if err := t.proc.settle(ctx); err != nil {
				return nil, err
			}
		}
		o.logf("round %d/%d done", r+1, rounds)
	}
	out := make([]Result, len(targets))
	for i := range targets {
		out[i] = combine(per[i])
	}
	return out, nil
}

// combine merges the rounds of one target: counts add up, throughput is requests over time, and
// the latency percentiles are the medians of the rounds' percentiles.
func combine(rs []Result) Result {
	var c Result
	var p50, p99 []time.Duration
	for _, r := range rs {
		c.Requests += r.Requests
		c.Duration += r.Duration
		c.NonOK += r.NonOK
		c.SockErrs += r.SockErrs
		p50 = append(p50, r.P50)
		p99 = append(p99, r.P99)
	}
	if c.Duration > 0 {
		c.RPS = float64(c.Requests) / c.Duration.Seconds()
	}
	c.P50, c.P99 = median(p50), median(p99)
	return c
}

// median returns the middle value (the mean of the two middle ones for an even count).
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
