package analyze

import (
	"fmt"
	"os"
)

var debugOn = os.Getenv("PW_DEBUG") != ""

func debugf(format string, args ...any) {
	if debugOn {
		fmt.Fprintf(os.Stderr, format, args...)
	}
}
