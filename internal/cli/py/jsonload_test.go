package py

import (
	"testing"

	"github.com/cognate/cognate/internal/cli/value"
)

// FuzzPyJSON: the json.loads port never panics and only fails with
// Python's exceptions.
func FuzzPyJSON(f *testing.F) {
	for _, s := range []string{`{"a": [1, 2.5e3, "\ud83d\ude00"]}`, `[1,]`, `"\u12`, `-Infinity`, "{\"a\"\n:", `[[[[]]]]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, err := JSONDecoder{Object: func(*value.Object) {}}.Loads(s)
		switch err.(type) {
		case nil, *JSONDecodeError, *JSONDepthError:
		default:
			t.Fatalf("%q: unexpected error %T %v", s, err, err)
		}
		_, _ = JSONDecoder{}.LoadsBytes([]byte(s))
	})
}
