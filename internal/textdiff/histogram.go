package textdiff

// This file aligns two sequences of lines with the histogram algorithm
// (JGit's HistogramDiff, also git's --histogram): split the problem at the
// longest run of matching lines whose lines are rarest in the old text
// (unique lines first, as in patience diff), and recurse on both sides. It
// stays near-linear on long documents with heavy edits, where an O(ND)
// algorithm can take quadratic time, and it does not anchor on blank lines
// or other commonplace lines.

// maxChain is how often a line may occur in a region and still anchor it.
const maxChain = 64

// edit is a run of aligned lines: equal, or a change block in which
// a[aLo:aHi] was replaced by b[bLo:bHi] (either side may be empty).
type edit struct {
	equal              bool
	aLo, aHi, bLo, bHi int
}

// align returns the edit runs turning a into b, in order. Lines are
// compared by id.
func align(a, b []int) []edit {
	var out []edit
	h := &histogram{a: a, b: b}
	h.diff(0, len(a), 0, len(b), &out)
	return mergeRuns(out)
}

type histogram struct {
	a, b []int
	// occurrences of each line id in the current a region, reused between
	// calls to avoid allocation
	occ map[int][]int
}

func (h *histogram) diff(aLo, aHi, bLo, bHi int, out *[]edit) {
	// Common prefix and suffix need no search.
	for aLo < aHi && bLo < bHi && h.a[aLo] == h.b[bLo] {
		*out = append(*out, edit{equal: true, aLo: aLo, aHi: aLo + 1, bLo: bLo, bHi: bLo + 1})
		aLo, bLo = aLo+1, bLo+1
	}
	var suffix []edit
	for aLo < aHi && bLo < bHi && h.a[aHi-1] == h.b[bHi-1] {
		aHi, bHi = aHi-1, bHi-1
		suffix = append(suffix, edit{equal: true, aLo: aHi, aHi: aHi + 1, bLo: bHi, bHi: bHi + 1})
	}
	defer func() {
		for i := len(suffix) - 1; i >= 0; i-- {
			*out = append(*out, suffix[i])
		}
	}()
	if aLo == aHi || bLo == bHi {
		if aLo < aHi || bLo < bHi {
			*out = append(*out, edit{aLo: aLo, aHi: aHi, bLo: bLo, bHi: bHi})
		}
		return
	}
	as, ae, bs, be, ok := h.anchor(aLo, aHi, bLo, bHi)
	if !ok {
		// No line rare enough to anchor on: one change block. Blank and
		// other commonplace lines inside it are matched up later, when the
		// block's lines are paired.
		*out = append(*out, edit{aLo: aLo, aHi: aHi, bLo: bLo, bHi: bHi})
		return
	}
	h.diff(aLo, as, bLo, bs, out)
	*out = append(*out, edit{equal: true, aLo: as, aHi: ae, bLo: bs, bHi: be})
	h.diff(ae, aHi, be, bHi, out)
}

// anchor finds the longest common run of lines in the two regions whose
// rarest line occurs fewest times in the a region.
func (h *histogram) anchor(aLo, aHi, bLo, bHi int) (as, ae, bs, be int, ok bool) {
	occ := h.occurrences(aLo, aHi)
	bestCount := maxChain + 1
	bestLen := 0
	for bi := bLo; bi < bHi; {
		positions := occ[h.b[bi]]
		if len(positions) == 0 || len(positions) > bestCount {
			bi++
			continue
		}
		next := bi + 1
		for _, ai := range positions {
			s, t := ai, bi
			for s > aLo && t > bLo && h.a[s-1] == h.b[t-1] {
				s, t = s-1, t-1
			}
			e, f := ai+1, bi+1
			for e < aHi && f < bHi && h.a[e] == h.b[f] {
				e, f = e+1, f+1
			}
			count := maxChain + 1
			for k := s; k < e; k++ {
				if c := len(occ[h.a[k]]); c < count {
					count = c
				}
			}
			if count < bestCount || (count == bestCount && e-s > bestLen) {
				as, ae, bs, be, ok = s, e, t, f, true
				bestCount, bestLen = count, e-s
			}
			if f > next {
				next = f
			}
		}
		bi = next
	}
	return as, ae, bs, be, ok
}

// occurrences indexes the positions of each line in a[aLo:aHi]; lines seen
// more than maxChain times are recorded with maxChain+1 positions at most,
// which is enough to disqualify them.
func (h *histogram) occurrences(aLo, aHi int) map[int][]int {
	if h.occ == nil {
		h.occ = make(map[int][]int, aHi-aLo)
	} else {
		clear(h.occ)
	}
	for i := aLo; i < aHi; i++ {
		id := h.a[i]
		if p := h.occ[id]; len(p) <= maxChain {
			h.occ[id] = append(p, i)
		}
	}
	return h.occ
}

// mergeRuns joins adjacent runs of the same kind.
func mergeRuns(in []edit) []edit {
	var out []edit
	for _, e := range in {
		if n := len(out); n > 0 && out[n-1].equal == e.equal && out[n-1].aHi == e.aLo && out[n-1].bHi == e.bLo {
			out[n-1].aHi, out[n-1].bHi = e.aHi, e.bHi
			continue
		}
		out = append(out, e)
	}
	return out
}
