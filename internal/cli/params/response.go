package params

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/cognate/cognate/internal/cli/clierr"
	python "github.com/cognate/cognate/internal/cli/py"
	"github.com/cognate/cognate/internal/cli/value"
	"github.com/cognate/cognate/internal/model"
)

// Timestamp formats (cli_timestamp_format).
const (
	TimestampISO8601 = "iso8601"
	TimestampWire    = "wire"
)

// DecodeResponse parses a JSON 1.1 response body as botocore's JSONParser
// does under the AWS CLI v2: members in model order (not wire order), only
// the members of the model, null members left out, timestamps per
// timestampFormat ("iso8601", v2's default and used when empty:
// datetime.isoformat() in the local time zone; "wire": the value as
// received), blobs as received (base64 text), documents as they are. A
// body that is not JSON reads as {"message": body}.
func DecodeResponse(m *model.Model, op *model.Operation, body []byte, timestampFormat string) (*value.Object, error) {
	switch timestampFormat {
	case "", TimestampISO8601, TimestampWire:
	default:
		return nil, &clierr.Error{Kind: clierr.Config, Message: fmt.Sprintf(`Unknown cli_timestamp_format value: %s, valid values are "wire" or "iso8601"`, timestampFormat)}
	}
	if op.Output == "" {
		return value.NewObject(), nil
	}
	var doc any = value.NewObject()
	if len(body) > 0 {
		text, err := python.DecodeUTF8(body)
		if err != nil {
			return nil, uncaught(err)
		}
		if doc, err = pyJSONLoads(text, newPy(), false); err != nil {
			if _, ok := err.(*python.JSONDecodeError); !ok {
				return nil, uncaught(err)
			}
			obj := value.NewObject()
			obj.Set("message", text)
			doc = obj
		}
	}
	r := &responseParser{m: m, wire: timestampFormat == TimestampWire}
	out, err := r.parse(m.Shape(op.Output), doc)
	if err != nil {
		return nil, uncaught(err)
	}
	obj, ok := out.(*value.Object)
	if !ok {
		return value.NewObject(), nil
	}
	return obj, nil
}

type responseParser struct {
	m    *model.Model
	wire bool
}

func (r *responseParser) parse(shape *model.Shape, v any) (any, error) {
	if shape.Document {
		return v, nil
	}
	switch shape.Type {
	case "structure":
		if v == nil {
			return nil, nil
		}
		obj, ok := v.(*value.Object)
		if !ok {
			return nil, &pyError{fmt.Sprintf("'%s' object has no attribute 'get'", pyTypeShort(v))}
		}
		out := value.NewObject()
		for _, mem := range shape.Members {
			raw, _ := obj.Get(mem.Name)
			if raw == nil {
				continue
			}
			pv, err := r.parse(r.m.Shape(mem.Shape), raw)
			if err != nil {
				return nil, err
			}
			out.Set(mem.Name, pv)
		}
		return out, nil
	case "list":
		var items []any
		switch t := v.(type) {
		case []any:
			items = t
		case string:
			for _, c := range t {
				items = append(items, string(c))
			}
		case *value.Object:
			for _, k := range t.Keys() {
				items = append(items, k)
			}
		default:
			return nil, &pyError{fmt.Sprintf("'%s' object is not iterable", pyTypeShort(v))}
		}
		member := r.m.Shape(shape.Member)
		out := make([]any, 0, len(items))
		for _, e := range items {
			if e == nil {
				out = append(out, nil)
				continue
			}
			pv, err := r.parse(member, e)
			if err != nil {
				return nil, err
			}
			out = append(out, pv)
		}
		return out, nil
	case "map":
		obj, ok := v.(*value.Object)
		if !ok {
			return nil, &pyError{fmt.Sprintf("'%s' object has no attribute 'items'", pyTypeShort(v))}
		}
		vs := r.m.Shape(shape.Value)
		out := value.NewObject()
		for _, k := range obj.Keys() {
			e, _ := obj.Get(k)
			if e == nil {
				out.Set(k, nil)
				continue
			}
			pv, err := r.parse(vs, e)
			if err != nil {
				return nil, err
			}
			out.Set(k, pv)
		}
		return out, nil
	case "timestamp":
		if r.wire {
			return v, nil
		}
		return isoTimestamp(v)
	}
	return v, nil
}

// isoTimestamp is parse_timestamp(value).isoformat() with dateutil's
// tzlocal: epoch numbers (and numeric strings) in the local time zone,
// microseconds rounded half to even; date strings keep their own zone, or
// none.
func isoTimestamp(v any) (string, error) {
	var f float64
	switch t := v.(type) {
	case int64:
		return pyISOFormat(time.Unix(t, 0).In(time.Local), true), nil
	case bool:
		f = pyNumber(t)
	case float64:
		f = t
	case string:
		if x, err := pyFloat(t); err == nil {
			f = x.(float64)
			break
		}
		tm, aware, ok := parseDateString(t)
		if !ok {
			return "", &pyValueError{fmt.Sprintf(`Invalid timestamp "%s": Unknown string format: %s`, t, t)}
		}
		return pyISOFormat(tm, aware), nil
	default:
		return "", &pyValueError{fmt.Sprintf(`Invalid timestamp "%s": Parser must be a string or character stream, not %s`, newPy().str(v), pyTypeShort(v))}
	}
	if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 253402300800 {
		return "", &pyValueError{"year is out of range"}
	}
	sec := math.Floor(f)
	us := math.RoundToEven((f - sec) * 1e6)
	t := time.Unix(int64(sec), 0).Add(time.Duration(us) * time.Microsecond)
	return pyISOFormat(t.In(time.Local), true), nil
}

// parseDateString reads the date strings dateutil does in practice.
func parseDateString(s string) (time.Time, bool, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02 15:04:05Z07:00", time.RFC1123Z} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true, true
		}
	}
	if t, err := time.Parse(time.RFC1123, s); err == nil {
		return t, true, true
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, false, true
		}
	}
	return time.Time{}, false, false
}

// pyISOFormat is datetime.isoformat(): microseconds only when not zero, the
// UTC offset as +HH:MM (+HH:MM:SS when it has seconds) for aware values.
func pyISOFormat(t time.Time, aware bool) string {
	s := t.Format("2006-01-02T15:04:05")
	if us := t.Nanosecond() / 1000; us != 0 {
		s += fmt.Sprintf(".%06d", us)
	}
	if !aware {
		return s
	}
	_, off := t.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	s += fmt.Sprintf("%c%02d:%02d", sign, off/3600, off/60%60)
	if off%60 != 0 {
		s += fmt.Sprintf(":%02d", off%60)
	}
	return s
}
