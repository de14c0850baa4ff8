// Package names turns the model's names into the AWS CLI's: botocore's
// xform_name, shared by the command line, its help, the auto-prompt and the
// parameter messages.
package names

import (
	"regexp"
	"strings"
)

var (
	firstCap       = regexp.MustCompile(`(.)([A-Z][a-z]+)`)
	endCap         = regexp.MustCompile(`([a-z0-9])([A-Z])`)
	specialPlurals = regexp.MustCompile(`[A-Z]{2,}s$`)
)

// Xform is botocore's xform_name(name, "-"), the CLI's spelling of an
// operation or member name (SetLogDeliveryConfiguration →
// set-log-delivery-configuration, MFAOptions → mfa-options, UserPoolARNs →
// user-pool-arns). Go's ReplaceAllString has re.sub's left-to-right,
// non-overlapping semantics.
func Xform(name string) string {
	if strings.Contains(name, "-") {
		return name
	}
	if m := specialPlurals.FindString(name); m != "" {
		name = name[:len(name)-len(m)] + "-" + strings.ToLower(m)
	}
	s := firstCap.ReplaceAllString(name, "${1}-${2}")
	return strings.ToLower(endCap.ReplaceAllString(s, "${1}-${2}"))
}
