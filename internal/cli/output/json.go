package output

import (
	"fmt"

	"github.com/cognate/cognate/internal/cli/value"
)

// formatJSON is the CLI's JSONFormatter: nothing for an empty object, else
// json.dumps(v, indent=4, ensure_ascii=False) and a newline.
func formatJSON(v any) ([]byte, error) {
	if isEmptyObject(v) {
		return nil, nil
	}
	out, err := jsonOut.Append(nil, v)
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

func isEmptyObject(v any) bool {
	o, ok := v.(*value.Object)
	return ok && o.Len() == 0
}

// errUnsupported reports a value outside the value package's types.
func errUnsupported(v any) error {
	return fmt.Errorf("output: unsupported value of type %T", v)
}
