package params

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/cognate/cognate/internal/cli/value"
	"github.com/cognate/cognate/internal/model"
)

// validator is botocore.validate.ParamValidator: it collects every error,
// in the order botocore reports them, as formatted report lines.
type validator struct {
	m      *model.Model
	py     *py
	errors []string
}

// validateParams validates params against shape and returns the report
// (one line per error), or "" when there is none.
func validateParams(m *model.Model, p *py, params any, shape *model.Shape) string {
	v := &validator{m: m, py: p}
	v.validate(params, shape, "")
	return strings.Join(v.errors, "\n")
}

// reportName is ValidationErrors._get_name.
func reportName(name string) string {
	if name == "" {
		return "input"
	}
	return strings.TrimPrefix(name, ".")
}

func (v *validator) report(format string, args ...any) {
	v.errors = append(v.errors, fmt.Sprintf(format, args...))
}

func (v *validator) invalidType(name string, param any, valid ...string) {
	v.report("Invalid type for parameter %s, value: %s, type: %s, valid types: %s",
		reportName(name), v.py.str(param), v.py.typeName(param), strings.Join(valid, ", "))
}

const (
	tDict  = "<class 'dict'>"
	tList  = "<class 'list'>"
	tTuple = "<class 'tuple'>"
	tStr   = "<class 'str'>"
	tInt   = "<class 'int'>"
	tBool  = "<class 'bool'>"
	tFloat = "<class 'float'>"
)

// pyIsInt is isinstance(v, int): bool is an int.
func pyIsInt(v any) bool {
	switch v.(type) {
	case int64, bool:
		return true
	}
	return false
}

// pyNumber is the value of an int (or bool) or float for comparisons.
func pyNumber(v any) float64 {
	switch t := v.(type) {
	case int64:
		return float64(t)
	case bool:
		if t {
			return 1
		}
		return 0
	case float64:
		return t
	}
	return math.NaN()
}

// rangeCheck is validate.range_check (min only; hostLabel members do not
// occur in JSON protocols).
func (v *validator) rangeCheck(name string, n any, shape *model.Shape, length bool) {
	if shape.Min == nil {
		return
	}
	min := *shape.Min
	var below bool
	if i, ok := n.(int64); ok {
		below = i < min
	} else {
		below = pyNumber(n) < float64(min)
	}
	if !below {
		return
	}
	if length {
		v.report("Invalid length for parameter %s, value: %s, valid min length: %d", reportName(name), v.py.str(n), min)
	} else {
		v.report("Invalid value for parameter %s, value: %s, valid min value: %d", reportName(name), v.py.str(n), min)
	}
}

func (v *validator) validate(params any, shape *model.Shape, name string) {
	if shape.Type == "structure" && shape.Document {
		v.validateDocument(params, name)
		return
	}
	switch shape.Type {
	case "structure":
		obj, ok := params.(*value.Object)
		if !ok {
			v.invalidType(name, params, tDict)
			return
		}
		// Required members in the model's order ("required" lists them in
		// member order throughout the committed model; a test checks it).
		for _, mem := range shape.Members {
			if shape.Required[mem.Name] {
				if _, ok := obj.Get(mem.Name); !ok {
					v.report(`Missing required parameter in %s: "%s"`, reportName(name), mem.Name)
				}
			}
		}
		var known []string
		for _, k := range obj.Keys() {
			if shape.MemberByName(k) == nil {
				names := make([]string, len(shape.Members))
				for i, mem := range shape.Members {
					names[i] = mem.Name
				}
				v.report(`Unknown parameter in %s: "%s", must be one of: %s`, reportName(name), k, strings.Join(names, ", "))
			} else {
				known = append(known, k)
			}
		}
		for _, k := range known {
			child, _ := obj.Get(k)
			v.validate(child, v.m.Shape(shape.MemberByName(k).Shape), name+"."+k)
		}
	case "string":
		s, ok := params.(string)
		if !ok {
			v.invalidType(name, params, tStr)
			return
		}
		v.rangeCheck(name, int64(pyRuneLen(s)), shape, true)
	case "list":
		list, ok := params.([]any)
		if !ok {
			v.invalidType(name, params, tList, tTuple)
			return
		}
		v.rangeCheck(name, int64(len(list)), shape, true)
		member := v.m.Shape(shape.Member)
		for i, e := range list {
			v.validate(e, member, name+"["+strconv.Itoa(i)+"]")
		}
	case "map":
		obj, ok := params.(*value.Object)
		if !ok {
			v.invalidType(name, params, tDict)
			return
		}
		ks, vs := v.m.Shape(shape.Key), v.m.Shape(shape.Value)
		for _, k := range obj.Keys() {
			e, _ := obj.Get(k)
			v.validate(k, ks, name+" (key: "+k+")")
			v.validate(e, vs, name+"."+k)
		}
	case "integer", "long":
		if !pyIsInt(params) {
			v.invalidType(name, params, tInt)
			return
		}
		v.rangeCheck(name, params, shape, false)
	case "blob":
		switch params.(type) {
		case string, []byte:
			return
		}
		v.invalidType(name, params, "<class 'bytes'>", "<class 'bytearray'>", "file-like object")
	case "boolean":
		if _, ok := params.(bool); !ok {
			v.invalidType(name, params, tBool)
		}
	case "float", "double":
		switch params.(type) {
		case float64, int64, bool:
			v.rangeCheck(name, params, shape, false)
		default:
			v.invalidType(name, params, tFloat, "<class 'decimal.Decimal'>", tInt)
		}
	case "timestamp":
		if !isTimestampValue(params) {
			v.invalidType(name, params, "<class 'datetime.datetime'>", "timestamp-string")
		}
	}
}

// validateDocument is ParamValidator._validate_document: note that a
// value inside an object is reported under its own key alone.
func (v *validator) validateDocument(params any, name string) {
	switch t := params.(type) {
	case nil, string, int64, bool, float64:
	case *value.Object:
		for _, k := range t.Keys() {
			e, _ := t.Get(k)
			v.validateDocument(e, k)
		}
	case []any:
		for i, e := range t {
			v.validateDocument(e, fmt.Sprintf("%s[%d]", name, i))
		}
	default:
		v.report("Invalid type for document parameter %s, value: %s, type: %s, valid types: %s",
			reportName(name), v.py.str(params), v.py.typeName(params),
			strings.Join([]string{tStr, tInt, tBool, tFloat, tList, tDict}, ", "))
	}
}

// isTimestampValue is ParamValidator._type_check_datetime: a datetime, an
// epoch number, or a string that is a number or a date botocore's
// parse_timestamp (dateutil) reads. The string forms accepted here are the
// ISO 8601 and RFC 822 ones; dateutil reads more.
func isTimestampValue(v any) bool {
	switch t := v.(type) {
	case yamlTime, int64, bool, float64:
		return true
	case string:
		_, ok := parseTimestampString(t)
		return ok
	}
	return false
}

var timestampLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02",
	"20060102T150405Z",
	"20060102T150405",
	"20060102",
	time.RFC1123,
	time.RFC1123Z,
	"Mon, 2 Jan 2006 15:04:05 MST",
	time.RFC850,
	time.ANSIC,
}

// parseTimestampString reads an epoch number or a date; a string without
// a zone is UTC.
func parseTimestampString(s string) (time.Time, bool) {
	if f, err := pyFloat(s); err == nil {
		x := f.(float64)
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return time.Time{}, false
		}
		sec, frac := math.Modf(x)
		return time.Unix(int64(sec), int64(math.Round(frac*1e6))*1000).UTC(), true
	}
	s = strings.TrimSpace(s)
	for _, layout := range timestampLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
