package awsclient

import (
	"strings"
	"unicode/utf8"

	"github.com/cognate/cognate/internal/cli/py"
)

// pyHeadersRepr renders headers as the dict repr botocore logs; keys are in
// the order given.
func pyHeadersRepr(keys []string, get func(string) string) string {
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, py.StrRepr(k)+": "+py.StrRepr(get(k)))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// validUTF8 returns s with invalid bytes replaced, as a lenient decode.
func validUTF8(p []byte) string {
	if utf8.Valid(p) {
		return string(p)
	}
	return strings.ToValidUTF8(string(p), "\uFFFD")
}
