package messaging

import (
	"regexp"
	"strings"
)

// MaskDestination is CodeDeliveryDetails.Destination: an email address as
// its first character, "***@", the domain's first character, "***" and the
// domain's last label (admin@example.com → a***@e***.com); a phone number
// as "+" and one "*" per digit but the last four (+********4114) [OBS,
// docs/research/issue4-facts.md §4; multi-label domains keep only the last
// label, inferred].
func MaskDestination(medium, to string) string {
	if medium == SMS {
		digits := strings.TrimPrefix(to, "+")
		if len(digits) <= 4 {
			return to
		}
		return "+" + strings.Repeat("*", len(digits)-4) + digits[len(digits)-4:]
	}
	local, domain, ok := strings.Cut(to, "@")
	if !ok || local == "" || domain == "" {
		return to
	}
	tld := ""
	if i := strings.LastIndexByte(domain, '.'); i >= 0 {
		tld = domain[i:]
	}
	return firstRune(local) + "***@" + firstRune(domain) + "***" + tld
}

func firstRune(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}

// e164 is the phone number form Cognito accepts: "+" and digits, a country
// code not starting with 0, at most 15 digits [DOC user pool attributes].
var e164 = regexp.MustCompile(`^\+[1-9]\d{1,14}$`)

// ValidPhone reports whether s is an E.164 phone number; Cognito refuses
// others with InvalidParameterException "Invalid phone number format." [DOC].
func ValidPhone(s string) bool { return e164.MatchString(s) }
