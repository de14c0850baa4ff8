package query

import (
	"github.com/cognate/cognate/internal/cli/value"
)

// interp is jmespath.py's TreeInterpreter.
type interp struct {
	exprefs bool // an expression reference was made (checked on the result)
}

var orderOps = map[string]string{"lt": "<", "lte": "<=", "gt": ">", "gte": ">="}

func (in *interp) eval(n *node, v any) (any, error) {
	switch n.typ {
	case nField:
		if o, ok := v.(*value.Object); ok {
			r, _ := o.Get(n.value.(string))
			return r, nil
		}
		return nil, nil
	case nSubexpression, nIndexExpression, nPipe:
		r := v
		for _, c := range n.children {
			var err error
			if r, err = in.eval(c, r); err != nil {
				return nil, err
			}
		}
		return r, nil
	case nIndex:
		list, ok := v.([]any)
		if !ok {
			return nil, nil
		}
		i := n.value.(int64)
		if i < 0 {
			i += int64(len(list))
		}
		if i < 0 || i >= int64(len(list)) {
			return nil, nil
		}
		return list[i], nil
	case nSlice:
		list, ok := v.([]any)
		if !ok {
			return nil, nil
		}
		return pySlice(list, n.slice)
	case nProjection:
		base, err := in.eval(n.children[0], v)
		if err != nil {
			return nil, err
		}
		list, ok := base.([]any)
		if !ok {
			return nil, nil
		}
		return in.project(list, n.children[1])
	case nValueProjection:
		base, err := in.eval(n.children[0], v)
		if err != nil {
			return nil, err
		}
		o, ok := base.(*value.Object)
		if !ok {
			return nil, nil
		}
		vals := make([]any, 0, o.Len())
		for _, k := range o.Keys() {
			e, _ := o.Get(k)
			vals = append(vals, e)
		}
		return in.project(vals, n.children[1])
	case nFilterProjection:
		base, err := in.eval(n.children[0], v)
		if err != nil {
			return nil, err
		}
		list, ok := base.([]any)
		if !ok {
			return nil, nil
		}
		out := []any{}
		for _, e := range list {
			c, err := in.eval(n.children[2], e)
			if err != nil {
				return nil, err
			}
			if isFalse(c) {
				continue
			}
			r, err := in.eval(n.children[1], e)
			if err != nil {
				return nil, err
			}
			if r != nil {
				out = append(out, r)
			}
		}
		return out, nil
	case nFlatten:
		base, err := in.eval(n.children[0], v)
		if err != nil {
			return nil, err
		}
		list, ok := base.([]any)
		if !ok {
			return nil, nil
		}
		out := []any{}
		for _, e := range list {
			if l, ok := e.([]any); ok {
				out = append(out, l...)
			} else {
				out = append(out, e)
			}
		}
		return out, nil
	case nIdentity, nCurrent:
		return v, nil
	case nLiteral:
		return n.value, nil
	case nMultiSelectList:
		if v == nil {
			return nil, nil
		}
		out := make([]any, 0, len(n.children))
		for _, c := range n.children {
			r, err := in.eval(c, v)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		return out, nil
	case nMultiSelectDict:
		if v == nil {
			return nil, nil
		}
		out := value.NewObject()
		for _, c := range n.children {
			r, err := in.eval(c, v)
			if err != nil {
				return nil, err
			}
			out.Set(c.value.(string), r)
		}
		return out, nil
	case nKeyValPair:
		return in.eval(n.children[0], v)
	case nComparator:
		left, err := in.eval(n.children[0], v)
		if err != nil {
			return nil, err
		}
		right, err := in.eval(n.children[1], v)
		if err != nil {
			return nil, err
		}
		switch op := n.value.(string); op {
		case "eq":
			return jpEqual(left, right), nil
		case "ne":
			return !jpEqual(left, right), nil
		default:
			if !isComparable(left) || !isComparable(right) {
				return nil, nil
			}
			return pyOrder(orderOps[op], left, right)
		}
	case nOr:
		r, err := in.eval(n.children[0], v)
		if err != nil {
			return nil, err
		}
		if isFalse(r) {
			return in.eval(n.children[1], v)
		}
		return r, nil
	case nAnd:
		r, err := in.eval(n.children[0], v)
		if err != nil {
			return nil, err
		}
		if isFalse(r) {
			return r, nil
		}
		return in.eval(n.children[1], v)
	case nNot:
		r, err := in.eval(n.children[0], v)
		if err != nil {
			return nil, err
		}
		if isActualNumber(r) {
			return false, nil // numbers are truthy, 0 included
		}
		return isFalse(r), nil
	case nFunction:
		args := make([]any, len(n.children))
		for i, c := range n.children {
			r, err := in.eval(c, v)
			if err != nil {
				return nil, err
			}
			args[i] = r
		}
		return in.call(n.value.(string), args)
	case nExpref:
		in.exprefs = true
		return &expref{n: n.children[0]}, nil
	}
	panic("query: unknown node type")
}

func (in *interp) project(list []any, right *node) (any, error) {
	out := []any{}
	for _, e := range list {
		r, err := in.eval(right, e)
		if err != nil {
			return nil, err
		}
		if r != nil {
			out = append(out, r)
		}
	}
	return out, nil
}

// isComparable is _is_comparable: a number (not a bool) or a string.
func isComparable(v any) bool {
	if _, ok := v.(string); ok {
		return true
	}
	return isActualNumber(v)
}

// pySlice is list[slice(start, stop, step)].
func pySlice(list []any, parts [3]*int64) (any, error) {
	n := int64(len(list))
	step := int64(1)
	if parts[2] != nil {
		step = *parts[2]
		if step == 0 {
			return nil, &Error{Class: ClassValueError, msg: "slice step cannot be zero"}
		}
		if step < -(1<<63 - 1) {
			step = -(1<<63 - 1)
		}
	}
	lower, upper := int64(0), n
	if step < 0 {
		lower, upper = -1, n-1
	}
	adjust := func(p *int64, def int64) int64 {
		if p == nil {
			return def
		}
		i := *p
		if i < 0 {
			i += n
			if i < lower {
				i = lower
			}
		} else if i > upper {
			i = upper
		}
		return i
	}
	var start, stop int64
	if step < 0 {
		start, stop = adjust(parts[0], upper), adjust(parts[1], lower)
	} else {
		start, stop = adjust(parts[0], lower), adjust(parts[1], upper)
	}
	var count int64
	switch {
	case step > 0 && start < stop:
		count = (stop-start-1)/step + 1
	case step < 0 && stop < start:
		count = (start-stop-1)/(-step) + 1
	}
	out := make([]any, 0, count)
	for k, i := int64(0), start; k < count; k++ {
		out = append(out, list[i])
		if k+1 < count {
			i += step
		}
	}
	return out, nil
}
