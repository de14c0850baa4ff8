// Package ordered decodes and encodes JSON while keeping the order of object
// keys. The Cognito model is data whose member order matters (it is the order
// AWS serialises and the CLI prints), which encoding/json's maps would lose.
package ordered

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Object is a JSON object whose keys keep the order they were read in.
type Object struct {
	Keys   []string
	Values map[string]any
}

// Get returns the value of key, or nil.
func (o *Object) Get(key string) any { return o.Values[key] }

// Set adds or replaces key, appending new keys at the end.
func (o *Object) Set(key string, v any) {
	if o.Values == nil {
		o.Values = map[string]any{}
	}
	if _, ok := o.Values[key]; !ok {
		o.Keys = append(o.Keys, key)
	}
	o.Values[key] = v
}

// Delete removes key if present.
func (o *Object) Delete(key string) {
	if _, ok := o.Values[key]; !ok {
		return
	}
	delete(o.Values, key)
	for i, k := range o.Keys {
		if k == key {
			o.Keys = append(o.Keys[:i], o.Keys[i+1:]...)
			break
		}
	}
}

// Decode reads one JSON value. Objects become *Object, arrays []any, numbers
// json.Number, and the rest as encoding/json does.
func Decode(r io.Reader) (any, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("ordered: trailing data after JSON value")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			obj := &Object{Values: map[string]any{}}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("ordered: object key is %T", kt)
				}
				v, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				obj.Set(key, v)
			}
			_, err := dec.Token() // '}'
			return obj, err
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			_, err := dec.Token() // ']'
			return arr, err
		}
		return nil, fmt.Errorf("ordered: unexpected delimiter %v", t)
	default:
		return tok, nil
	}
}

// Encode writes v as indented JSON (two spaces), keys of an *Object in order.
func Encode(w io.Writer, v any) error {
	var buf bytes.Buffer
	if err := encode(&buf, v, ""); err != nil {
		return err
	}
	buf.WriteByte('\n')
	_, err := w.Write(buf.Bytes())
	return err
}

func encode(buf *bytes.Buffer, v any, indent string) error {
	switch t := v.(type) {
	case *Object:
		if len(t.Keys) == 0 {
			buf.WriteString("{}")
			return nil
		}
		buf.WriteString("{\n")
		inner := indent + "  "
		for i, k := range t.Keys {
			buf.WriteString(inner)
			writeString(buf, k)
			buf.WriteString(": ")
			if err := encode(buf, t.Values[k], inner); err != nil {
				return err
			}
			if i < len(t.Keys)-1 {
				buf.WriteByte(',')
			}
			buf.WriteByte('\n')
		}
		buf.WriteString(indent + "}")
	case []any:
		if len(t) == 0 {
			buf.WriteString("[]")
			return nil
		}
		buf.WriteString("[\n")
		inner := indent + "  "
		for i, e := range t {
			buf.WriteString(inner)
			if err := encode(buf, e, inner); err != nil {
				return err
			}
			if i < len(t)-1 {
				buf.WriteByte(',')
			}
			buf.WriteByte('\n')
		}
		buf.WriteString(indent + "]")
	case string:
		writeString(buf, t)
	case json.Number:
		buf.WriteString(t.String())
	case bool:
		buf.WriteString(strconv.FormatBool(t))
	case nil:
		buf.WriteString("null")
	default:
		return fmt.Errorf("ordered: cannot encode %T", v)
	}
	return nil
}

// writeString writes s as a JSON string without HTML escaping, so patterns
// such as (?<!\.) stay readable in the committed model.
func writeString(buf *bytes.Buffer, s string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)           // a string always encodes
	buf.Truncate(buf.Len() - 1) // drop the newline Encode adds
}
