package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/cognate/cognate/internal/model/ordered"
)

// Compare reports how two prose-free service models differ, one line per
// operation, shape or other top-level section that differs, naming it. Member
// order counts: it is part of the API (serialisation and CLI output order).
func Compare(committed, other []byte) ([]string, error) {
	a, err := sections(committed)
	if err != nil {
		return nil, fmt.Errorf("committed model: %w", err)
	}
	b, err := sections(other)
	if err != nil {
		return nil, fmt.Errorf("other model: %w", err)
	}
	var diffs []string
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		av, inA := a[k]
		bv, inB := b[k]
		switch {
		case !inB:
			diffs = append(diffs, k+": only in the committed model")
		case !inA:
			diffs = append(diffs, k+": only in botocore's model")
		case av != bv:
			diffs = append(diffs, k+": differs")
		}
	}
	return diffs, nil
}

// sections splits a model into canonical JSON texts keyed by
// "operation X", "shape Y" and "section Z" for the other top-level keys.
func sections(service []byte) (map[string]string, error) {
	root, err := ordered.Decode(bytes.NewReader(service))
	if err != nil {
		return nil, err
	}
	obj, ok := root.(*ordered.Object)
	if !ok {
		return nil, fmt.Errorf("not a JSON object")
	}
	out := map[string]string{}
	for _, key := range obj.Keys {
		switch key {
		case "operations", "shapes":
			group, ok := obj.Get(key).(*ordered.Object)
			if !ok {
				return nil, fmt.Errorf("%s is not an object", key)
			}
			label := map[string]string{"operations": "operation ", "shapes": "shape "}[key]
			for _, name := range group.Keys {
				text, err := canonical(group.Get(name))
				if err != nil {
					return nil, err
				}
				out[label+name] = text
			}
		default:
			text, err := canonical(obj.Get(key))
			if err != nil {
				return nil, err
			}
			out["section "+key] = text
		}
	}
	return out, nil
}

func canonical(v any) (string, error) {
	var buf bytes.Buffer
	if err := ordered.Encode(&buf, v); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// ComparePaginators reports the paginated operations whose settings differ.
func ComparePaginators(committed, other []byte) ([]string, error) {
	type pag struct {
		Pagination map[string]json.RawMessage `json:"pagination"`
	}
	var a, b pag
	if err := json.Unmarshal(committed, &a); err != nil {
		return nil, fmt.Errorf("committed paginators: %w", err)
	}
	if err := json.Unmarshal(other, &b); err != nil {
		return nil, fmt.Errorf("other paginators: %w", err)
	}
	norm := func(raw json.RawMessage) string {
		var v any
		_ = json.Unmarshal(raw, &v) // already valid JSON
		out, _ := json.Marshal(v)   // maps marshal with sorted keys
		return string(out)
	}
	var diffs []string
	for name, av := range a.Pagination {
		bv, ok := b.Pagination[name]
		if !ok {
			diffs = append(diffs, "paginator "+name+": only in the committed model")
		} else if norm(av) != norm(bv) {
			diffs = append(diffs, "paginator "+name+": differs")
		}
	}
	for name := range b.Pagination {
		if _, ok := a.Pagination[name]; !ok {
			diffs = append(diffs, "paginator "+name+": only in botocore's model")
		}
	}
	sort.Strings(diffs)
	return diffs, nil
}
