package output

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cognate/cognate/internal/cli/py"
)

// pyUpper is Python's str.upper(), with the full case mapping (ß -> SS).
func pyUpper(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToUpper(s)
	}
	var b strings.Builder
	for _, r := range s {
		if u, ok := upperSpecial[r]; ok {
			b.WriteString(u)
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// textLength is awscli.table.get_text_length: the number of code points,
// counting those of East Asian Width W (wide), F (full-width) and A
// (ambiguous) twice.
func textLength(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			n = 0
			for _, r := range s {
				n++
				if isWide(r) {
					n++
				}
			}
			return n
		}
	}
	return len(s)
}

func isWide(r rune) bool {
	if r < 0xA1 {
		return false
	}
	i := sort.Search(len(wideRanges), func(i int) bool { return wideRanges[i][1] >= r })
	return i < len(wideRanges) && wideRanges[i][0] <= r
}

// jsonOut is the CLI's json.dumps(v, indent=4, ensure_ascii=False) (the
// JSON formatter's, and json.dumps of a YAML scalar); a value outside the
// value package's types is an error.
var jsonOut = py.JSON{Indent: 4, Unicode: true, Default: func(v any) (any, error) { return nil, errUnsupported(v) }}

// PythonError is a failure the AWS CLI meets as a Python exception (its
// formatters raise them on data they do not expect, shlex on a bad pager
// command line). The CLI reports one as "\n<Msg>\n" on stderr, exit status
// 255.
type PythonError struct {
	Type string // the exception class: TypeError, ValueError, ...
	Msg  string
}

func (e *PythonError) Error() string { return e.Msg }

func pyErr(typ, format string, args ...any) error {
	return &PythonError{Type: typ, Msg: fmt.Sprintf(format, args...)}
}
