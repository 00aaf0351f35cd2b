package web

import (
	"math"
	"sort"
	"time"
)

// timeline is the SVG strip of a policy's versions over time.
type timeline struct {
	Width, Height int
	Points        []timelinePoint
	Ticks         []timelineTick
	Empty         bool
}

type timelinePoint struct {
	X, Y, R float64
	Class   string // first, minor, major, format
	Href    string
	Label   string
}

type timelineTick struct {
	X      float64
	Anchor string // SVG text-anchor, so edge labels stay inside the strip
	Label  string
}

// newTimeline places versions by capture time; a dot's size grows with the
// number of lines changed against the previous version.
func newTimeline(rows []versionRow, p *page) timeline {
	t := timeline{Width: 800, Height: 90}
	if len(rows) == 0 {
		t.Empty = true
		return t
	}
	const left, right, y = 30.0, 770.0, 40.0
	start, end := rows[0].CapturedAt, rows[len(rows)-1].CapturedAt
	span := end.Sub(start)
	if span <= 0 {
		span = time.Hour
	}
	x := func(at time.Time) float64 {
		if len(rows) == 1 {
			return (left + right) / 2
		}
		return left + (right-left)*float64(at.Sub(start))/float64(span)
	}
	for i, v := range rows {
		pt := timelinePoint{X: x(v.CapturedAt), Y: y, R: 5, Class: "first", Href: p.Link("/versions/" + itoa(int(v.ID)))}
		label := v.Label() + " · " + p.Time(v.CapturedAt)
		if i > 0 && v.Stats != nil {
			changed := v.Stats.Added + v.Stats.Removed + v.Stats.Modified + v.Stats.Moved
			pt.R = 4 + math.Min(10, 2*math.Log2(1+float64(changed)))
			pt.Class = "minor"
			switch {
			case changed == 0:
				pt.Class = "format"
			case changed >= 20:
				pt.Class = "major"
			}
			if v.Level != "" {
				pt.Class = "lvl-" + string(v.Level) // the analysis knows better than the line count
			}
			pt.Href = p.Link("/compare", "from", v.PrevID, "to", v.ID)
			label += " · +" + itoa(v.Stats.Added) + " −" + itoa(v.Stats.Removed) + " ~" + itoa(v.Stats.Modified)
			if v.Level != "" {
				label += " · " + v.Level.Label(p.Lang)
			}
		}
		pt.Label = label
		t.Points = append(t.Points, pt)
	}
	// Ticks: the first and the last capture.
	if len(rows) == 1 {
		t.Ticks = append(t.Ticks, timelineTick{X: (left + right) / 2, Anchor: "middle", Label: p.Date(start)})
	} else {
		t.Ticks = append(t.Ticks, timelineTick{X: left - 10, Anchor: "start", Label: p.Date(start)},
			timelineTick{X: right + 10, Anchor: "end", Label: p.Date(end)})
	}
	sort.Slice(t.Points, func(i, j int) bool { return t.Points[i].R > t.Points[j].R }) // small dots on top
	return t
}
