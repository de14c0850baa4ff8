package query

import (
	"fmt"
	"math"
	"math/big"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/cognate/cognate/internal/cli/py"
	"github.com/cognate/cognate/internal/cli/value"
)

// function is one entry of jmespath.py's FUNCTION_TABLE: the @signature
// (one list of allowed types per argument, empty for any) and the body.
type function struct {
	sig      [][]string
	variadic bool
	impl     func(in *interp, args []any) (any, error)
}

var functions map[string]function

func init() {
	num := [][]string{{"number"}}
	anyArg := [][]string{{}}
	byExpr := [][]string{{"array"}, {"expref"}}
	functions = map[string]function{
		"abs":         {sig: num, impl: fnAbs},
		"avg":         {sig: [][]string{{"array-number"}}, impl: fnAvg},
		"not_null":    {sig: anyArg, variadic: true, impl: fnNotNull},
		"to_array":    {sig: anyArg, impl: fnToArray},
		"to_string":   {sig: anyArg, impl: fnToString},
		"to_number":   {sig: anyArg, impl: fnToNumber},
		"contains":    {sig: [][]string{{"array", "string"}, {}}, impl: fnContains},
		"length":      {sig: [][]string{{"string", "array", "object"}}, impl: fnLength},
		"ends_with":   {sig: [][]string{{"string"}, {"string"}}, impl: fnEndsWith},
		"starts_with": {sig: [][]string{{"string"}, {"string"}}, impl: fnStartsWith},
		"reverse":     {sig: [][]string{{"array", "string"}}, impl: fnReverse},
		"ceil":        {sig: num, impl: fnCeil},
		"floor":       {sig: num, impl: fnFloor},
		"join":        {sig: [][]string{{"string"}, {"array-string"}}, impl: fnJoin},
		"map":         {sig: [][]string{{"expref"}, {"array"}}, impl: fnMap},
		"max":         {sig: [][]string{{"array-number", "array-string"}}, impl: fnMax},
		"merge":       {sig: [][]string{{"object"}}, variadic: true, impl: fnMerge},
		"min":         {sig: [][]string{{"array-number", "array-string"}}, impl: fnMin},
		"sort":        {sig: [][]string{{"array-string", "array-number"}}, impl: fnSort},
		"sum":         {sig: [][]string{{"array-number"}}, impl: fnSum},
		"keys":        {sig: [][]string{{"object"}}, impl: fnKeys},
		"values":      {sig: [][]string{{"object"}}, impl: fnValues},
		"type":        {sig: anyArg, impl: fnType},
		"sort_by":     {sig: byExpr, impl: fnSortBy},
		"min_by":      {sig: byExpr, impl: fnMinBy},
		"max_by":      {sig: byExpr, impl: fnMaxBy},
	}
}

// reverseTypes is REVERSE_TYPES_MAP: JMESPath type to Python type names.
var reverseTypes = map[string][]string{
	"boolean": {"bool"},
	"array":   {"list", "_Projection"},
	"object":  {"dict", "OrderedDict"},
	"null":    {"NoneType"},
	"string":  {"unicode", "str"},
	"number":  {"float", "int", "long"},
	"expref":  {"_Expression"},
}

// call is Functions.call_function.
func (in *interp) call(name string, args []any) (any, error) {
	fn, ok := functions[name]
	if !ok {
		return nil, &Error{Class: ClassUnknownFunction, msg: "Unknown function: " + name + "()"}
	}
	if fn.variadic {
		if len(args) < len(fn.sig) {
			return nil, arityError(name, len(fn.sig), len(args), true)
		}
	} else if len(args) != len(fn.sig) {
		return nil, arityError(name, len(fn.sig), len(args), false)
	}
	for i, types := range fn.sig {
		if len(types) > 0 {
			if err := typeCheck(args[i], types, name); err != nil {
				return nil, err
			}
		}
	}
	return fn.impl(in, args)
}

// typeCheck is _type_check_single.
func typeCheck(current any, types []string, fn string) error {
	var allowed []string
	var subtypes [][]string
	for _, t := range types {
		typ, sub, isSub := strings.Cut(t, "-")
		if isSub {
			subtypes = append(subtypes, reverseTypes[sub])
		}
		allowed = append(allowed, reverseTypes[typ]...)
	}
	actual := pyTypeName(current)
	if !slices.Contains(allowed, actual) {
		return typeError(fn, current, jpTypeName(actual), types)
	}
	if len(subtypes) == 0 {
		return nil
	}
	list, _ := current.([]any)
	if len(subtypes) == 1 {
		for _, e := range list {
			if name := pyTypeName(e); !slices.Contains(subtypes[0], name) {
				return typeError(fn, e, name, types)
			}
		}
		return nil
	}
	if len(list) == 0 {
		return nil
	}
	first := pyTypeName(list[0])
	var want []string
	for _, st := range subtypes {
		if slices.Contains(st, first) {
			want = st
			break
		}
	}
	if want == nil {
		return typeError(fn, list[0], first, types)
	}
	for _, e := range list {
		if name := pyTypeName(e); !slices.Contains(want, name) {
			return typeError(fn, e, name, types)
		}
	}
	return nil
}

func fnAbs(_ *interp, a []any) (any, error) {
	switch t := a[0].(type) {
	case int64:
		if t < 0 {
			if t == math.MinInt64 {
				return -float64(t), nil // Python: a big int
			}
			return -t, nil
		}
		return t, nil
	case float64:
		return math.Abs(t), nil
	}
	return nil, nil
}

// pySum is Python's sum() of a list of numbers (CPython 3.12+): an int64,
// a *big.Int (an int past int64) or a float64.
func pySum(list []any) any {
	var i int64
	k := 0
	for ; k < len(list); k++ {
		x, ok := list[k].(int64)
		if !ok {
			break
		}
		s := i + x
		if (x > 0 && s < i) || (x < 0 && s > i) {
			return pySumGeneric(new(big.Int).SetInt64(i), list[k:])
		}
		i = s
	}
	if k == len(list) {
		return i
	}
	// A float: int + float, then the compensated float loop (CPython 3.12+).
	hi := float64(i) + list[k].(float64)
	lo := 0.0
	for _, e := range list[k+1:] {
		var x float64
		switch t := e.(type) {
		case float64:
			x = t
		case int64:
			x = float64(t)
		}
		t := hi + x
		if math.Abs(hi) >= math.Abs(x) {
			lo += (hi - t) + x
		} else {
			lo += (x - t) + hi
		}
		hi = t
	}
	if lo != 0 && !math.IsInf(lo, 0) && !math.IsNaN(lo) {
		return hi + lo
	}
	return hi
}

// pySumGeneric is sum()'s slow path after an int overflow: exact ints,
// then plain float additions.
func pySumGeneric(acc *big.Int, rest []any) any {
	var f float64
	isFloat := false
	for _, e := range rest {
		switch t := e.(type) {
		case int64:
			if isFloat {
				f += float64(t)
			} else {
				acc.Add(acc, big.NewInt(t))
			}
		case float64:
			if !isFloat {
				f, _ = new(big.Float).SetInt(acc).Float64()
				isFloat = true
			}
			f += t
		}
	}
	if isFloat {
		return f
	}
	if acc.IsInt64() {
		return acc.Int64()
	}
	return acc
}

// fromPyNumber turns a pySum result into a value (a big int becomes the
// nearest float64: values carry no big ints).
func fromPyNumber(v any) any {
	if b, ok := v.(*big.Int); ok {
		f, _ := new(big.Float).SetInt(b).Float64()
		return f
	}
	return v
}

func fnSum(_ *interp, a []any) (any, error) {
	return fromPyNumber(pySum(a[0].([]any))), nil
}

func fnAvg(_ *interp, a []any) (any, error) {
	list := a[0].([]any)
	if len(list) == 0 {
		return nil, nil
	}
	switch s := pySum(list).(type) {
	case float64:
		return s / float64(len(list)), nil
	case int64:
		f, _ := new(big.Rat).SetFrac(big.NewInt(s), big.NewInt(int64(len(list)))).Float64()
		return f, nil
	case *big.Int:
		f, _ := new(big.Rat).SetFrac(s, big.NewInt(int64(len(list)))).Float64()
		return f, nil
	}
	return nil, nil
}

func fnNotNull(_ *interp, a []any) (any, error) {
	for _, e := range a {
		if e != nil {
			return e, nil
		}
	}
	return nil, nil
}

func fnToArray(_ *interp, a []any) (any, error) {
	if l, ok := a[0].([]any); ok {
		return l, nil
	}
	return []any{a[0]}, nil
}

func fnToString(_ *interp, a []any) (any, error) {
	if s, ok := a[0].(string); ok {
		return s, nil
	}
	return pyJSONDumps(a[0]), nil
}

func fnToNumber(_ *interp, a []any) (any, error) {
	switch t := a[0].(type) {
	case nil, bool, []any, *value.Object:
		return nil, nil
	case int64, float64:
		return t, nil
	case string:
		if i, b, err := py.ParseInt(t); err == nil {
			if b != nil {
				return fromPyNumber(b), nil
			}
			return i, nil
		}
		if f, ok := py.ParseFloat(t); ok {
			return f, nil
		}
		return nil, nil
	}
	return nil, &Error{Class: ClassTypeError, msg: fmt.Sprintf(
		"int() argument must be a string, a bytes-like object or a real number, not '%s'", pyTypeName(a[0]))}
}

func fnContains(_ *interp, a []any) (any, error) {
	switch subject := a[0].(type) {
	case []any:
		for _, e := range subject {
			if pyEqualElem(e, a[1]) {
				return true, nil
			}
		}
		return false, nil
	case string:
		s, ok := a[1].(string)
		if !ok {
			return nil, &Error{Class: ClassTypeError, msg: fmt.Sprintf(
				"'in <string>' requires string as left operand, not %s", pyTypeName(a[1]))}
		}
		return strings.Contains(subject, s), nil
	}
	return nil, nil
}

func fnLength(_ *interp, a []any) (any, error) {
	switch t := a[0].(type) {
	case string:
		return int64(utf8.RuneCountInString(t)), nil
	case []any:
		return int64(len(t)), nil
	case *value.Object:
		return int64(t.Len()), nil
	}
	return nil, nil
}

func fnEndsWith(_ *interp, a []any) (any, error) {
	return strings.HasSuffix(a[0].(string), a[1].(string)), nil
}

func fnStartsWith(_ *interp, a []any) (any, error) {
	return strings.HasPrefix(a[0].(string), a[1].(string)), nil
}

func fnReverse(_ *interp, a []any) (any, error) {
	if s, ok := a[0].(string); ok {
		r := []rune(s)
		slices.Reverse(r)
		return string(r), nil
	}
	l := slices.Clone(a[0].([]any))
	slices.Reverse(l)
	if l == nil {
		l = []any{}
	}
	return l, nil
}

// pyFloatToInt is int() of an integral float, as math.ceil/floor return.
func pyFloatToInt(f float64) (any, error) {
	switch {
	case math.IsNaN(f):
		return nil, &Error{Class: ClassValueError, msg: "cannot convert float NaN to integer"}
	case math.IsInf(f, 0):
		return nil, &Error{Class: ClassOverflowError, msg: "cannot convert float infinity to integer"}
	case f >= -0x1p63 && f < 0x1p63:
		return int64(f), nil
	}
	return f, nil // Python: a big int
}

func fnCeil(_ *interp, a []any) (any, error) {
	if f, ok := a[0].(float64); ok {
		return pyFloatToInt(math.Ceil(f))
	}
	return a[0], nil
}

func fnFloor(_ *interp, a []any) (any, error) {
	if f, ok := a[0].(float64); ok {
		return pyFloatToInt(math.Floor(f))
	}
	return a[0], nil
}

func fnJoin(_ *interp, a []any) (any, error) {
	list := a[1].([]any)
	parts := make([]string, len(list))
	for i, e := range list {
		parts[i] = e.(string)
	}
	return strings.Join(parts, a[0].(string)), nil
}

func fnMap(in *interp, a []any) (any, error) {
	e := a[0].(*expref)
	list := a[1].([]any)
	out := make([]any, 0, len(list))
	for _, x := range list {
		r, err := in.eval(e.n, x)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// pyExtreme is max()/min() of a list: the first element that no later
// element beats with op (">" for max, "<" for min).
func pyExtreme(list []any, op string) (any, error) {
	if len(list) == 0 {
		return nil, nil
	}
	best := list[0]
	for _, e := range list[1:] {
		better, err := pyOrder(op, e, best)
		if err != nil {
			return nil, err
		}
		if better {
			best = e
		}
	}
	return best, nil
}

func fnMax(_ *interp, a []any) (any, error) { return pyExtreme(a[0].([]any), ">") }

func fnMin(_ *interp, a []any) (any, error) { return pyExtreme(a[0].([]any), "<") }

func fnMerge(_ *interp, a []any) (any, error) {
	merged := value.NewObject()
	for _, arg := range a {
		if err := dictUpdate(merged, arg); err != nil {
			return nil, err
		}
	}
	return merged, nil
}

// dictUpdate is Python's dict.update(arg). Only merge()'s first argument
// is type-checked, so later ones can be anything: a sequence of pairs
// works as in Python, with non-string keys spelled as json.dumps spells
// them (values carry string keys only).
func dictUpdate(d *value.Object, arg any) error {
	switch t := arg.(type) {
	case *value.Object:
		for _, k := range t.Keys() {
			v, _ := t.Get(k)
			d.Set(k, v)
		}
		return nil
	case string:
		if t != "" { // each character is a sequence of length 1
			return &Error{Class: ClassValueError, msg: "dictionary update sequence element #0 has length 1; 2 is required"}
		}
		return nil
	case []any:
		for i, item := range t {
			var pair []any
			switch it := item.(type) {
			case string:
				for _, r := range it {
					pair = append(pair, string(r))
				}
			case []any:
				pair = it
			case *value.Object:
				for _, k := range it.Keys() {
					pair = append(pair, k)
				}
			default:
				return &Error{Class: ClassTypeError, msg: fmt.Sprintf(
					"cannot convert dictionary update sequence element #%d to a sequence", i)}
			}
			if len(pair) != 2 {
				return &Error{Class: ClassValueError, msg: fmt.Sprintf(
					"dictionary update sequence element #%d has length %d; 2 is required", i, len(pair))}
			}
			var key string
			switch k := pair[0].(type) {
			case []any, *value.Object:
				return &Error{Class: ClassTypeError, msg: fmt.Sprintf("unhashable type: '%s'", pyTypeName(k))}
			case string:
				key = k
			default:
				key = pyJSONDumps(k)
			}
			d.Set(key, pair[1])
		}
		return nil
	}
	return &Error{Class: ClassTypeError, msg: fmt.Sprintf("'%s' object is not iterable", pyTypeName(arg))}
}

func fnSort(_ *interp, a []any) (any, error) {
	out := slices.Clone(a[0].([]any))
	if out == nil {
		out = []any{}
	}
	sort.SliceStable(out, func(i, j int) bool {
		lt, _ := pyOrder("<", out[i], out[j])
		return lt
	})
	return out, nil
}

func fnKeys(_ *interp, a []any) (any, error) {
	o := a[0].(*value.Object)
	out := make([]any, o.Len())
	for i, k := range o.Keys() {
		out[i] = k
	}
	return out, nil
}

func fnValues(_ *interp, a []any) (any, error) {
	o := a[0].(*value.Object)
	out := make([]any, o.Len())
	for i, k := range o.Keys() {
		out[i], _ = o.Get(k)
	}
	return out, nil
}

func fnType(_ *interp, a []any) (any, error) {
	switch a[0].(type) {
	case string:
		return "string", nil
	case bool:
		return "boolean", nil
	case []any:
		return "array", nil
	case *value.Object:
		return "object", nil
	case int64, float64:
		return "number", nil
	case nil:
		return "null", nil
	}
	return nil, nil
}

// keyFunc is _create_key_func.
func (in *interp) keyFunc(e *expref, allowed []string, fn string, x any) (any, error) {
	r, err := in.eval(e.n, x)
	if err != nil {
		return nil, err
	}
	if t := jpTypeName(pyTypeName(r)); !slices.Contains(allowed, t) {
		return nil, typeError(fn, r, t, allowed)
	}
	return r, nil
}

func fnSortBy(in *interp, a []any) (any, error) {
	list := a[0].([]any)
	e := a[1].(*expref)
	if len(list) == 0 {
		return list, nil
	}
	first, err := in.eval(e.n, list[0])
	if err != nil {
		return nil, err
	}
	required := jpTypeName(pyTypeName(first))
	if required != "number" && required != "string" {
		return nil, typeError("sort_by", list[0], required, []string{"string", "number"})
	}
	keys := make([]any, len(list))
	for i, x := range list {
		if keys[i], err = in.keyFunc(e, []string{required}, "sort_by", x); err != nil {
			return nil, err
		}
	}
	idx := make([]int, len(list))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool {
		lt, _ := pyOrder("<", keys[idx[i]], keys[idx[j]])
		return lt
	})
	out := make([]any, len(list))
	for i, k := range idx {
		out[i] = list[k]
	}
	return out, nil
}

func (in *interp) extremeBy(a []any, op, fn string) (any, error) {
	list := a[0].([]any)
	e := a[1].(*expref)
	allowed := []string{"number", "string"}
	if len(list) == 0 {
		return nil, nil
	}
	best := list[0]
	bestKey, err := in.keyFunc(e, allowed, fn, best)
	if err != nil {
		return nil, err
	}
	for _, x := range list[1:] {
		k, err := in.keyFunc(e, allowed, fn, x)
		if err != nil {
			return nil, err
		}
		better, err := pyOrder(op, k, bestKey)
		if err != nil {
			return nil, err
		}
		if better {
			best, bestKey = x, k
		}
	}
	return best, nil
}

func fnMinBy(in *interp, a []any) (any, error) { return in.extremeBy(a, "<", "min_by") }

func fnMaxBy(in *interp, a []any) (any, error) { return in.extremeBy(a, ">", "max_by") }
