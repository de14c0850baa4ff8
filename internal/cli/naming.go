package cli

import (
	"regexp"
	"strings"
)

var (
	firstCap       = regexp.MustCompile(`(.)([A-Z][a-z]+)`)
	endCap         = regexp.MustCompile(`([a-z0-9])([A-Z])`)
	specialPlurals = regexp.MustCompile(`[A-Z]{2,}s$`)
)

// kebab turns a model name into the CLI's: botocore's xform_name(name, "-")
// (SetLogDeliveryConfiguration → set-log-delivery-configuration,
// MFAOptions → mfa-options, UserPoolARNs → user-pool-arns).
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
