package output

import (
	"sort"

	"github.com/cognate/cognate/internal/cli/py"
	"github.com/cognate/cognate/internal/cli/value"
)

// textFormatter is awscli.text.format_text: one tab-separated line per
// record, identifiers upper-cased, keys sorted.
type textFormatter struct {
	out []byte
}

func formatText(v any) ([]byte, error) {
	var f textFormatter
	err := f.item(v, nil, nil)
	return f.out, err
}

// item formats v under identifier (nil at the top), with scalarKeys the
// columns shared by the elements of a list of dicts (nil otherwise).
func (f *textFormatter) item(v any, identifier *string, scalarKeys []string) error {
	switch t := v.(type) {
	case *value.Object:
		return f.dict(t, identifier, scalarKeys)
	case []any:
		return f.list(t, identifier)
	}
	f.out = append(f.out, py.Str(v)...)
	f.out = append(f.out, '\n')
	return nil
}

func (f *textFormatter) list(items []any, identifier *string) error {
	if len(items) == 0 {
		return nil
	}
	hasDict, hasList := false, false
	for _, e := range items {
		switch e.(type) {
		case *value.Object:
			hasDict = true
		case []any:
			hasList = true
		}
	}
	switch {
	case hasDict:
		keys, err := allScalarKeys(items)
		if err != nil {
			return err
		}
		for _, e := range items {
			if err := f.item(e, identifier, keys); err != nil {
				return err
			}
		}
	case hasList:
		var scalars, others []any
		for _, e := range items {
			if value.IsScalar(e) {
				scalars = append(scalars, e)
			} else {
				others = append(others, e)
			}
		}
		if len(scalars) > 0 {
			f.scalarList(scalars, identifier)
		}
		for _, e := range others {
			if err := f.item(e, identifier, nil); err != nil {
				return err
			}
		}
	default:
		f.scalarList(items, identifier)
	}
	return nil
}

func (f *textFormatter) scalarList(items []any, identifier *string) {
	if identifier != nil {
		id := pyUpper(*identifier)
		for _, e := range items {
			f.out = append(f.out, id...)
			f.out = append(f.out, '\t')
			f.out = append(f.out, py.Str(e)...)
			f.out = append(f.out, '\n')
		}
		return
	}
	for i, e := range items {
		if i > 0 {
			f.out = append(f.out, '\t')
		}
		f.out = append(f.out, py.Str(e)...)
	}
	f.out = append(f.out, '\n')
}

func (f *textFormatter) dict(o *value.Object, identifier *string, scalarKeys []string) error {
	var scalars []string
	var nested []string
	if scalarKeys == nil {
		for _, k := range sortedKeys(o) {
			e, _ := o.Get(k)
			if value.IsScalar(e) {
				scalars = append(scalars, py.Str(e))
			} else {
				nested = append(nested, k)
			}
		}
	} else {
		shared := make(map[string]bool, len(scalarKeys))
		for _, k := range scalarKeys {
			shared[k] = true
			if e, ok := o.Get(k); ok {
				scalars = append(scalars, py.Str(e))
			} else {
				scalars = append(scalars, "")
			}
		}
		for _, k := range sortedKeys(o) {
			if !shared[k] {
				nested = append(nested, k)
			}
		}
	}
	if len(scalars) > 0 {
		if identifier != nil {
			f.out = append(f.out, pyUpper(*identifier)...)
			f.out = append(f.out, '\t')
		}
		for i, s := range scalars {
			if i > 0 {
				f.out = append(f.out, '\t')
			}
			f.out = append(f.out, s...)
		}
		f.out = append(f.out, '\n')
	}
	for _, k := range nested {
		e, _ := o.Get(k)
		key := k
		if err := f.item(e, &key, nil); err != nil {
			return err
		}
	}
	return nil
}

// allScalarKeys is the sorted union of the keys with scalar values over a
// list of dicts. Python fails on an element that is not a dict.
func allScalarKeys(items []any) ([]string, error) {
	seen := map[string]bool{}
	keys := []string{}
	for _, e := range items {
		o, ok := e.(*value.Object)
		if !ok {
			return nil, pyErr("AttributeError", "'%s' object has no attribute 'items'", py.TypeName(e))
		}
		for _, k := range o.Keys() {
			v, _ := o.Get(k)
			if value.IsScalar(v) && !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys, nil
}

// sortedKeys returns the keys of o in Python's sorted() order (code point
// order, which is the byte order of UTF-8).
func sortedKeys(o *value.Object) []string {
	keys := append([]string(nil), o.Keys()...)
	sort.Strings(keys)
	return keys
}
