package params

import (
	"github.com/cognate/cognate/internal/cli/value"
	"github.com/cognate/cognate/internal/model"
)

// invalidBase64 is binaryformat.InvalidBase64Error, which the AWS CLI does
// not catch (exit 255).
type invalidBase64 struct{ value string }

func (e *invalidBase64) Error() string { return `Invalid base64: "` + e.value + `"` }

// decodeBlobs is binaryformat.Base64DecodeVisitor: every str value of a
// blob member becomes the bytes base64.b64decode makes of it; bytes
// (fileb://) stay as they are.
func decodeBlobs(m *model.Model, shape *model.Shape, v any) error {
	_, err := visitBlobs(m, shape, v)
	return err
}

func visitBlobs(m *model.Model, shape *model.Shape, v any) (any, error) {
	switch shape.Type {
	case "structure":
		obj, ok := v.(*value.Object)
		if !ok {
			return v, nil
		}
		for _, mem := range shape.Members {
			child, present := obj.Get(mem.Name)
			if !present {
				continue
			}
			nv, err := visitBlobs(m, m.Shape(mem.Shape), child)
			if err != nil {
				return nil, err
			}
			obj.Set(mem.Name, nv)
		}
	case "list":
		list, ok := v.([]any)
		if !ok {
			return v, nil
		}
		member := m.Shape(shape.Member)
		for i, e := range list {
			nv, err := visitBlobs(m, member, e)
			if err != nil {
				return nil, err
			}
			list[i] = nv
		}
	case "map":
		obj, ok := v.(*value.Object)
		if !ok {
			return v, nil
		}
		vs := m.Shape(shape.Value)
		for _, k := range obj.Keys() {
			child, _ := obj.Get(k)
			nv, err := visitBlobs(m, vs, child)
			if err != nil {
				return nil, err
			}
			obj.Set(k, nv)
		}
	case "blob":
		s, ok := v.(string)
		if !ok {
			return v, nil
		}
		data, err := pyB64Decode(s)
		if err != nil {
			return nil, err
		}
		return data, nil
	}
	return v, nil
}

var b64Alphabet = func() [256]int8 {
	var t [256]int8
	for i := range t {
		t[i] = -1
	}
	for i, c := range "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" {
		t[c] = int8(i)
	}
	return t
}()

// pyB64Decode is base64.b64decode(s) (validate=False): characters outside
// the alphabet are skipped, and binascii's padding rules apply.
func pyB64Decode(s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return nil, &pyValueError{"string argument should contain only ASCII characters"}
		}
	}
	out := make([]byte, 0, len(s)*3/4+3)
	quad, pads := 0, 0
	var left byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '=' {
			if quad >= 2 {
				pads++
				if quad+pads >= 4 {
					return out, nil
				}
			}
			continue
		}
		v := b64Alphabet[c]
		if v < 0 {
			continue
		}
		b := byte(v)
		switch quad {
		case 0:
			quad, left = 1, b
		case 1:
			out = append(out, left<<2|b>>4)
			quad, left = 2, b&0x0f
		case 2:
			out = append(out, left<<4|b>>2)
			quad, left = 3, b&0x03
		case 3:
			out = append(out, left<<6|b)
			quad, left = 0, 0
		}
	}
	if quad != 0 {
		// "Invalid base64-encoded string: …" or "Incorrect padding".
		return nil, &invalidBase64{s}
	}
	return out, nil
}
