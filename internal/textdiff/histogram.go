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
// compared by id; ids are below nIDs.
func align(a, b []int, nIDs int) []edit {
	var out runs
	h := &histogram{a: a, b: b, head: make([]int32, nIDs), count: make([]int32, nIDs), next: make([]int32, len(a))}
	h.diff(0, len(a), 0, len(b), &out)
	return out
}

// runs are edit runs in order, adjacent runs of the same kind joined as
// they are added.
type runs []edit

func (out *runs) add(e edit) {
	if n := len(*out); n > 0 {
		if last := &(*out)[n-1]; last.equal == e.equal && last.aHi == e.aLo && last.bHi == e.bLo {
			last.aHi, last.bHi = e.aHi, e.bHi
			return
		}
	}
	*out = append(*out, e)
}

// histogram holds the index of the current a region: for each line id its
// number of occurrences and a chain of its positions. The arrays are sized
// once and cleared after each search, so recursion allocates nothing.
type histogram struct {
	a, b  []int
	head  []int32 // per id: 1 + the last position of the line in the region, 0 if none
	next  []int32 // per position: 1 + the previous position of the same line, 0 if none
	count []int32 // per id: occurrences in the region
}

func (h *histogram) diff(aLo, aHi, bLo, bHi int, out *runs) {
	// Common prefix and suffix need no search.
	p := 0
	for aLo+p < aHi && bLo+p < bHi && h.a[aLo+p] == h.b[bLo+p] {
		p++
	}
	if p > 0 {
		out.add(edit{equal: true, aLo: aLo, aHi: aLo + p, bLo: bLo, bHi: bLo + p})
		aLo, bLo = aLo+p, bLo+p
	}
	s := 0
	for aLo < aHi-s && bLo < bHi-s && h.a[aHi-1-s] == h.b[bHi-1-s] {
		s++
	}
	aHi, bHi = aHi-s, bHi-s
	defer func() {
		if s > 0 {
			out.add(edit{equal: true, aLo: aHi, aHi: aHi + s, bLo: bHi, bHi: bHi + s})
		}
	}()
	if aLo == aHi || bLo == bHi {
		if aLo < aHi || bLo < bHi {
			out.add(edit{aLo: aLo, aHi: aHi, bLo: bLo, bHi: bHi})
		}
		return
	}
	as, ae, bs, be, ok := h.anchor(aLo, aHi, bLo, bHi)
	if !ok {
		// No line rare enough to anchor on: one change block. Blank and
		// other commonplace lines inside it are matched up later, when the
		// block's lines are paired.
		out.add(edit{aLo: aLo, aHi: aHi, bLo: bLo, bHi: bHi})
		return
	}
	h.diff(aLo, as, bLo, bs, out)
	out.add(edit{equal: true, aLo: as, aHi: ae, bLo: bs, bHi: be})
	h.diff(ae, aHi, be, bHi, out)
}

// anchor finds the longest common run of lines in the two regions whose
// rarest line occurs fewest times in the a region.
func (h *histogram) anchor(aLo, aHi, bLo, bHi int) (as, ae, bs, be int, ok bool) {
	h.index(aLo, aHi)
	defer h.clear(aLo, aHi)
	bestCount := int32(maxChain + 1)
	bestLen := 0
	for bi := bLo; bi < bHi; {
		id := h.b[bi]
		if h.count[id] == 0 || h.count[id] > bestCount || h.count[id] > maxChain {
			bi++
			continue
		}
		next := bi + 1
		for p := h.head[id]; p != 0; p = h.next[p-1] {
			ai := int(p - 1)
			s, t := ai, bi
			for s > aLo && t > bLo && h.a[s-1] == h.b[t-1] {
				s, t = s-1, t-1
			}
			e, f := ai+1, bi+1
			for e < aHi && f < bHi && h.a[e] == h.b[f] {
				e, f = e+1, f+1
			}
			count := int32(maxChain + 1)
			for k := s; k < e; k++ {
				if c := h.count[h.a[k]]; c < count {
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

// index records the lines of a[aLo:aHi].
func (h *histogram) index(aLo, aHi int) {
	for i := aLo; i < aHi; i++ {
		id := h.a[i]
		h.next[i] = h.head[id]
		h.head[id] = int32(i + 1)
		h.count[id]++
	}
}

// clear undoes index.
func (h *histogram) clear(aLo, aHi int) {
	for i := aLo; i < aHi; i++ {
		id := h.a[i]
		h.head[id], h.count[id] = 0, 0
	}
}
