package output

import (
	"fmt"

	"github.com/cognate/cognate/internal/cli/value"
)

// appendJSON appends v as json.dumps(v, indent=4, ensure_ascii=False) does:
// members in their order, "key": value, "," at line ends, four spaces per
// level, empty containers inline.
func appendJSON(dst []byte, v any, depth int) ([]byte, error) {
	switch t := v.(type) {
	case *value.Object:
		if t.Len() == 0 {
			return append(dst, "{}"...), nil
		}
		dst = append(dst, '{')
		for i, k := range t.Keys() {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendNewlineIndent(dst, depth+1)
			dst = appendJSONString(dst, k)
			dst = append(dst, ':', ' ')
			e, _ := t.Get(k)
			var err error
			if dst, err = appendJSON(dst, e, depth+1); err != nil {
				return dst, err
			}
		}
		dst = appendNewlineIndent(dst, depth)
		return append(dst, '}'), nil
	case []any:
		if len(t) == 0 {
			return append(dst, "[]"...), nil
		}
		dst = append(dst, '[')
		for i, e := range t {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendNewlineIndent(dst, depth+1)
			var err error
			if dst, err = appendJSON(dst, e, depth+1); err != nil {
				return dst, err
			}
		}
		dst = appendNewlineIndent(dst, depth)
		return append(dst, ']'), nil
	}
	return appendJSONScalar(dst, v)
}

func appendNewlineIndent(dst []byte, depth int) []byte {
	dst = append(dst, '\n')
	for i := 0; i < depth*4; i++ {
		dst = append(dst, ' ')
	}
	return dst
}

// formatJSON is the CLI's JSONFormatter: nothing for an empty object, else
// the indented JSON and a newline.
func formatJSON(v any) ([]byte, error) {
	if isEmptyObject(v) {
		return nil, nil
	}
	out, err := appendJSON(nil, v, 0)
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
