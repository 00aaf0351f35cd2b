package metrics

import (
	"cmp"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// ContentType is that of the Prometheus text exposition format, version
// 0.0.4, the one format every Prometheus-compatible scraper reads.
const ContentType = "text/plain; version=0.0.4; charset=utf-8"

// Type is a metric family's type, as written on its TYPE line.
type Type string

const (
	Counter   Type = "counter"
	Gauge     Type = "gauge"
	Histogram Type = "histogram"
	Summary   Type = "summary"
)

// Family is the metrics of one name: one help text, one type.
type Family struct {
	Name    string
	Help    string
	Type    Type
	Metrics []Metric
}

// Metric is one labelled metric of a family. A counter or gauge has a
// Value; a histogram has Buckets, a summary Quantiles, and both a Sum and a
// Count of the observations.
type Metric struct {
	Labels    []Label
	Value     float64
	Buckets   []Bucket // cumulative counts by ascending upper bound; +Inf is Count and need not be given
	Quantiles []Quantile
	Sum       float64
	Count     uint64
}

// Label is a label's name and value.
type Label struct{ Name, Value string }

// Bucket is a histogram bucket: how many observations were at most
// UpperBound.
type Bucket struct {
	UpperBound float64
	Count      uint64
}

// Quantile is a summary's φ-quantile (0.5 for the median) and its value.
type Quantile struct{ Quantile, Value float64 }

// WriteText writes the families in the text exposition format in the order
// Prometheus's own client writes them: families by name, each metric's
// labels by name, a family's metrics by their label values. It sorts
// families, metrics and labels in place. Families without metrics are left
// out, as the client leaves out a vector with no children.
func WriteText(w io.Writer, families []Family) error {
	slices.SortFunc(families, func(a, b Family) int { return strings.Compare(a.Name, b.Name) })
	var b []byte
	for _, f := range families {
		if len(f.Metrics) > 0 {
			b = appendFamily(b, f)
		}
	}
	_, err := w.Write(b)
	return err
}

func appendFamily(b []byte, f Family) []byte {
	if f.Help != "" {
		b = append(b, "# HELP "...)
		b = append(b, f.Name...)
		b = append(b, ' ')
		b = appendEscaped(b, f.Help, false)
		b = append(b, '\n')
	}
	b = append(b, "# TYPE "...)
	b = append(b, f.Name...)
	b = append(b, ' ')
	b = append(b, f.Type...)
	b = append(b, '\n')
	for i := range f.Metrics {
		slices.SortFunc(f.Metrics[i].Labels, func(x, y Label) int { return strings.Compare(x.Name, y.Name) })
	}
	slices.SortFunc(f.Metrics, compareLabelValues)
	for _, m := range f.Metrics {
		switch f.Type {
		case Histogram:
			b = appendHistogram(b, f.Name, m)
		case Summary:
			b = appendSummary(b, f.Name, m)
		default:
			b = appendSample(b, f.Name, m.Labels, Label{}, appendFloat(nil, m.Value))
		}
	}
	return b
}

// compareLabelValues orders two metrics of one family (same label names,
// sorted) by their label values, first label first.
func compareLabelValues(x, y Metric) int {
	return slices.CompareFunc(x.Labels, y.Labels, func(a, b Label) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.Value, b.Value))
	})
}

func appendHistogram(b []byte, name string, m Metric) []byte {
	var value []byte
	for _, bucket := range m.Buckets {
		value = strconv.AppendUint(value[:0], bucket.Count, 10)
		b = appendSample(b, name+"_bucket", m.Labels, Label{"le", formatFloat(bucket.UpperBound)}, value)
	}
	if n := len(m.Buckets); n == 0 || !math.IsInf(m.Buckets[n-1].UpperBound, +1) {
		b = appendSample(b, name+"_bucket", m.Labels, Label{"le", "+Inf"}, strconv.AppendUint(value[:0], m.Count, 10))
	}
	return appendSumAndCount(b, name, m)
}

func appendSummary(b []byte, name string, m Metric) []byte {
	for _, q := range m.Quantiles {
		b = appendSample(b, name, m.Labels, Label{"quantile", formatFloat(q.Quantile)}, appendFloat(nil, q.Value))
	}
	return appendSumAndCount(b, name, m)
}

func appendSumAndCount(b []byte, name string, m Metric) []byte {
	b = appendSample(b, name+"_sum", m.Labels, Label{}, appendFloat(nil, m.Sum))
	return appendSample(b, name+"_count", m.Labels, Label{}, strconv.AppendUint(nil, m.Count, 10))
}

// appendSample appends one line: the name, the labels and last (a
// histogram's le, a summary's quantile) when it has a name, and the value.
func appendSample(b []byte, name string, labels []Label, last Label, value []byte) []byte {
	b = append(b, name...)
	if last.Name != "" {
		labels = append(labels[:len(labels):len(labels)], last)
	}
	for i, l := range labels {
		if i == 0 {
			b = append(b, '{')
		} else {
			b = append(b, ',')
		}
		b = append(b, l.Name...)
		b = append(b, `="`...)
		b = appendEscaped(b, l.Value, true)
		b = append(b, '"')
	}
	if len(labels) > 0 {
		b = append(b, '}')
	}
	b = append(b, ' ')
	b = append(b, value...)
	return append(b, '\n')
}

// appendEscaped escapes a backslash and a line feed, and a double quote in
// a label value (quoted); a HELP text keeps its quotes, as the format says.
func appendEscaped(b []byte, s string, quoted bool) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			b = append(b, `\\`...)
		case c == '\n':
			b = append(b, `\n`...)
		case c == '"' && quoted:
			b = append(b, `\"`...)
		default:
			b = append(b, c)
		}
	}
	return b
}

// appendFloat writes a value as Prometheus's client does: the shortest
// form that reads back the same (1e+06, 0.005), +Inf, -Inf, NaN, and 0 for
// a negative zero.
func appendFloat(b []byte, f float64) []byte {
	if f == 0 {
		return append(b, '0')
	}
	return strconv.AppendFloat(b, f, 'g', -1, 64)
}

func formatFloat(f float64) string { return string(appendFloat(nil, f)) }
