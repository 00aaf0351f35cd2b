package web

import (
	"strconv"

	"github.com/policywatch/policywatch"
)

// versionNumbers numbers a policy's versions 1, 2, … in the order
// store.ListVersions gives them (capture time, then id): pages call a
// version v1, v2, … of its policy, while URLs and JSON keep the database
// ids (a policy's first version may well be id 6). A version back-filled
// before others moves the later ones up by one, as it should: the numbers
// say where a version stands in the policy's history.
func versionNumbers(versions []policywatch.Version) map[int64]int {
	out := make(map[int64]int, len(versions))
	for i, v := range versions {
		out[v.ID] = i + 1
	}
	return out
}

// versionLabel is how pages name the n-th version of a policy: "v3".
func versionLabel(n int) string { return "v" + strconv.Itoa(n) }
