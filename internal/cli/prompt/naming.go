package prompt

import (
	"regexp"
	"strings"
)

// kebab is botocore's xform_name(name, "-"), the same function as the cli
// package's (which this package cannot import: cli imports prompt); a test
// keeps the two equal over the whole model.
var (
	firstCap       = regexp.MustCompile(`(.)([A-Z][a-z]+)`)
	endCap         = regexp.MustCompile(`([a-z0-9])([A-Z])`)
	specialPlurals = regexp.MustCompile(`[A-Z]{2,}s$`)
)

func kebab(name string) string {
	if strings.Contains(name, "-") {
		return name
	}
	if m := specialPlurals.FindString(name); m != "" {
		name = name[:len(name)-len(m)] + "-" + strings.ToLower(m)
	}
	s := firstCap.ReplaceAllString(name, "${1}-${2}")
	return strings.ToLower(endCap.ReplaceAllString(s, "${1}-${2}"))
}
