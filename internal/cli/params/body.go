package params

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/cognate/cognate/internal/cli/clierr"
	python "github.com/cognate/cognate/internal/cli/py"
	"github.com/cognate/cognate/internal/cli/value"
	"github.com/cognate/cognate/internal/model"
)

// Body serialises validated parameters as the AWS JSON 1.1 request body,
// as botocore's JSONSerializer does: json.dumps with its default
// separators and ensure_ascii, members in the parameters' order (the
// options in model order, then keys from --cli-input-*), blobs base64,
// timestamps as epoch seconds, float/double infinities and NaN as strings.
// An operation without input has the body {}.
func Body(m *model.Model, op *model.Operation, params *value.Object) ([]byte, error) {
	var buf bytes.Buffer
	if op.Input == "" || params == nil {
		return []byte("{}"), nil
	}
	if err := writeBody(&buf, m, m.Shape(op.Input), params); err != nil {
		return nil, clierr.New(clierr.Other, "serialize %s: %v", op.Name, err)
	}
	return buf.Bytes(), nil
}

func writeBody(buf *bytes.Buffer, m *model.Model, shape *model.Shape, v any) error {
	if v == nil {
		buf.WriteString("null")
		return nil
	}
	if shape.Document {
		return writePyJSON(buf, v)
	}
	switch shape.Type {
	case "structure":
		obj, ok := v.(*value.Object)
		if !ok {
			return fmt.Errorf("%s: not an object", shape.Name)
		}
		buf.WriteByte('{')
		for i, k := range obj.Keys() {
			mem := shape.MemberByName(k)
			if mem == nil {
				return fmt.Errorf("%s has no member %s", shape.Name, k)
			}
			if i > 0 {
				buf.WriteString(", ")
			}
			writePyString(buf, k)
			buf.WriteString(": ")
			e, _ := obj.Get(k)
			if err := writeBody(buf, m, m.Shape(mem.Shape), e); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	case "map":
		obj, ok := v.(*value.Object)
		if !ok {
			return fmt.Errorf("%s: not an object", shape.Name)
		}
		vs := m.Shape(shape.Value)
		buf.WriteByte('{')
		for i, k := range obj.Keys() {
			if i > 0 {
				buf.WriteString(", ")
			}
			writePyString(buf, k)
			buf.WriteString(": ")
			e, _ := obj.Get(k)
			if err := writeBody(buf, m, vs, e); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	case "list":
		list, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%s: not a list", shape.Name)
		}
		member := m.Shape(shape.Member)
		buf.WriteByte('[')
		for i, e := range list {
			if i > 0 {
				buf.WriteString(", ")
			}
			if err := writeBody(buf, m, member, e); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case "blob":
		var data []byte
		switch t := v.(type) {
		case []byte:
			data = t
		case string:
			data = []byte(t)
		default:
			return fmt.Errorf("%s: not bytes", shape.Name)
		}
		writePyString(buf, base64.StdEncoding.EncodeToString(data))
	case "timestamp":
		t, ok := timestampValue(v)
		if !ok {
			return fmt.Errorf("%s: not a timestamp", shape.Name)
		}
		buf.WriteString(strconv.FormatInt(t.Unix(), 10))
	case "float", "double":
		if f, ok := v.(float64); ok {
			switch {
			case math.IsInf(f, 1):
				writePyString(buf, "Infinity")
				return nil
			case math.IsInf(f, -1):
				writePyString(buf, "-Infinity")
				return nil
			case math.IsNaN(f):
				writePyString(buf, "NaN")
				return nil
			}
		}
		return writePyJSON(buf, v)
	default:
		return writePyJSON(buf, v)
	}
	return nil
}

// timestampValue is parse_to_aware_datetime for the values a request can
// hold.
func timestampValue(v any) (time.Time, bool) {
	switch t := v.(type) {
	case yamlTime:
		return t.t, true
	case int64:
		return time.Unix(t, 0).UTC(), true
	case bool:
		if t {
			return time.Unix(1, 0).UTC(), true
		}
		return time.Unix(0, 0).UTC(), true
	case float64:
		sec := math.Floor(t)
		return time.Unix(int64(sec), int64((t-sec)*1e9)).UTC(), true
	case string:
		return parseTimestampString(t)
	}
	return time.Time{}, false
}

// bodyJSON is json.dumps(v) as botocore's serializer calls it (separators
// ", " and ": ", ensure_ascii, allow_nan); a value of no JSON type is its
// TypeError.
var bodyJSON = python.JSON{Default: func(v any) (any, error) {
	return nil, &pyValueError{"Object of type " + pyTypeShort(v) + " is not JSON serializable"}
}}

// writePyJSON writes json.dumps(v) to buf.
func writePyJSON(buf *bytes.Buffer, v any) error {
	out, err := bodyJSON.Append(buf.AvailableBuffer(), v)
	buf.Write(out)
	return err
}

// writePyString writes json.dumps of a str with ensure_ascii to buf.
func writePyString(buf *bytes.Buffer, s string) {
	buf.Write(bodyJSON.AppendString(buf.AvailableBuffer(), s))
}
