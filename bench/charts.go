package main

import (
	"fmt"
	"image/color"
	"path/filepath"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// chart is a PNG the harness drew.
type chart struct{ title, file string }

var (
	colRolegate = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	colMoto     = color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}
	colCeiling  = color.RGBA{R: 0x55, G: 0x55, B: 0x55, A: 0xff}
)

// drawCharts writes throughput.png (each request on each server, with the ceiling) and
// latency.png (AssumeRole latency against store size) into dir.
func drawCharts(dir string, rep *Report) ([]chart, error) {
	var out []chart
	t, err := throughputChart(rep)
	if err != nil {
		return nil, err
	}
	file := filepath.Join(dir, "throughput.png")
	if err := t.Save(9*vg.Inch, 4.5*vg.Inch, file); err != nil {
		return nil, err
	}
	out = append(out, chart{"Throughput per server", file})
	if len(rep.Scale) > 0 {
		l, err := latencyChart(rep)
		if err != nil {
			return nil, err
		}
		file := filepath.Join(dir, "latency.png")
		if err := l.Save(7*vg.Inch, 4.5*vg.Inch, file); err != nil {
			return nil, err
		}
		out = append(out, chart{"AssumeRole latency against store size", file})
	}
	return out, nil
}

func throughputChart(rep *Report) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = "Requests per second (same machine, same wrk load)"
	p.Y.Label.Text = "requests/s"
	names := make([]string, len(ops))
	peers := []struct {
		name string
		col  color.Color
	}{{"rolegate", colRolegate}, {"moto", colMoto}}
	w := vg.Points(22)
	for i, peer := range peers {
		vals := make(plotter.Values, len(ops))
		for j, op := range ops {
			names[j] = op.Name
			if pt := rep.point(op.Name, peer.name); pt != nil && pt.Skip == "" {
				vals[j] = pt.Res.RPS
			}
		}
		bars, err := plotter.NewBarChart(vals, w)
		if err != nil {
			return nil, err
		}
		bars.Color, bars.LineStyle.Width = peer.col, 0
		bars.Offset = w * vg.Length(2*i-1) / 2
		p.Add(bars)
		p.Legend.Add(peer.name, bars)
	}
	ceiling, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: rep.Ceiling.RPS}, {X: float64(len(ops)) - 0.5, Y: rep.Ceiling.RPS}})
	if err != nil {
		return nil, err
	}
	ceiling.Color, ceiling.Dashes = colCeiling, []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(ceiling)
	p.Legend.Add(fmt.Sprintf("ceiling: health endpoint, %.0f/s", rep.Ceiling.RPS), ceiling)
	p.Legend.Top = true
	p.NominalX(names...)
	p.Y.Min = 0
	p.Y.Max = rep.Ceiling.RPS * 1.25
	return p, nil
}

func latencyChart(rep *Report) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = "AssumeRole latency against stored managed policies"
	p.X.Label.Text = "managed policies in the store"
	p.Y.Label.Text = "latency (ms)"
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = powerTicks{}
	var p50, p99, l50, l99 plotter.XYs
	// A log axis cannot show zero: latencies below a microsecond are drawn at one.
	msec := func(d time.Duration) float64 { return max(d.Seconds()*1000, 0.001) }
	for _, sp := range rep.Scale {
		x := float64(sp.Manifest.Policies)
		p50 = append(p50, plotter.XY{X: x, Y: msec(sp.Res.P50)})
		p99 = append(p99, plotter.XY{X: x, Y: msec(sp.Res.P99)})
		l50 = append(l50, plotter.XY{X: x, Y: msec(sp.Light.P50)})
		l99 = append(l99, plotter.XY{X: x, Y: msec(sp.Light.P99)})
	}
	full := fmt.Sprintf(", %d connections", rep.Options.Load.Connections)
	light := fmt.Sprintf(", %d connections", lightConnections)
	if err := plotutil.AddLinePoints(p, "p50"+full, p50, "p99"+full, p99, "p50"+light, l50, "p99"+light, l99); err != nil {
		return nil, err
	}
	// p50 at light load and p99 at full load are orders of magnitude apart.
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = latencyTicks{}
	top := 0.0
	for _, xy := range append(p99, l99...) {
		top = max(top, xy.Y)
	}
	p.Y.Max = top * 8 // room for the legend above the lines
	p.Legend.Top = true
	p.Legend.Left = true
	p.Add(plotter.NewGrid())
	return p, nil
}

// powerTicks labels the powers of ten of an axis as counts (100, 10 000, 1 000 000).
type powerTicks struct{}

// Ticks returns a labelled tick at every power of ten in [lo, hi].
func (powerTicks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for v := 1.0; v <= hi; v *= 10 {
		if v >= lo {
			ts = append(ts, plot.Tick{Value: v, Label: count(int(v))})
		}
	}
	return ts
}

// latencyTicks labels 1, 2 and 5 times each power of ten of a milliseconds axis.
type latencyTicks struct{}

// Ticks returns the 1-2-5 ticks in [lo, hi].
func (latencyTicks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for decade := 0.001; decade <= hi; decade *= 10 {
		for _, m := range []float64{1, 2, 5} {
			if v := decade * m; v >= lo && v <= hi {
				ts = append(ts, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', 3, 64)})
			}
		}
	}
	return ts
}
