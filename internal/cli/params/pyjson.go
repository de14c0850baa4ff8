package params

import (
	"fmt"

	python "github.com/cognate/cognate/internal/cli/py"
	"github.com/cognate/cognate/internal/cli/value"
)

// pyJSONLoads is json.loads as the AWS CLI calls it (Python 3.14's
// messages). input is a string or []byte (whose encoding is detected as
// json.detect_encoding does); ordered marks the objects as OrderedDict
// (object_pairs_hook=OrderedDict) in p.
func pyJSONLoads(input any, p *py, ordered bool) (any, error) {
	var d python.JSONDecoder
	if ordered {
		d.Object = func(o *value.Object) { p.ordered[o] = true }
	}
	switch t := input.(type) {
	case string:
		return d.Loads(t)
	case []byte:
		return d.LoadsBytes(t)
	}
	return nil, &pyValueError{fmt.Sprintf("the JSON object must be str, bytes or bytearray, not %s", pyTypeShort(input))}
}
