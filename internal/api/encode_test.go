package api

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

// TestAppendJSONMatchesEncodingJSON fills every generated structure with
// random values (absent and present members, empty and nil lists, hostile
// strings) and checks that AppendJSON writes exactly what encoding/json
// writes.
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 20; round++ {
		for _, proto := range allTypes {
			v := reflect.New(reflect.TypeOf(proto).Elem())
			fill(rng, v.Elem(), 0)
			want, err := json.Marshal(v.Interface())
			if err != nil {
				t.Fatal(err)
			}
			got := v.Interface().(JSONAppender).AppendJSON(nil)
			if !bytes.Equal(got, want) {
				t.Fatalf("%s:\nAppendJSON    %s\nencoding/json %s", v.Elem().Type().Name(), got, want)
			}
		}
	}
}

var hostile = []string{"", "plain", "quote\"back\\slash", "<html>&amp;", "tab\tnew\nline\r\x00\x1f", "é😀", "\u2028\u2029", "bad\xffutf8", "\xed\xa0\x80"}

func fill(rng *rand.Rand, v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.Pointer:
		if rng.IntN(4) == 0 || depth > 6 {
			return // absent
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(rng, v.Elem(), depth+1)
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(Time{}) {
			v.Set(reflect.ValueOf(Time{time.UnixMilli(rng.Int64N(4e12))}))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			fill(rng, v.Field(i), depth+1)
		}
	case reflect.Slice:
		if v.Type() == reflect.TypeOf(Document(nil)) {
			docs := []string{`{"a": [1, 2, {"b": null}]}`, `"x"`, `3`, `[]`}
			v.Set(reflect.ValueOf(Document(docs[rng.IntN(len(docs))])))
			return
		}
		switch rng.IntN(4) {
		case 0:
			return // nil
		case 1:
			v.Set(reflect.MakeSlice(v.Type(), 0, 0)) // empty, not nil
			return
		}
		n := 1 + rng.IntN(3)
		v.Set(reflect.MakeSlice(v.Type(), n, n))
		for i := 0; i < n; i++ {
			fill(rng, v.Index(i), depth+1)
		}
	case reflect.Map:
		switch rng.IntN(4) {
		case 0:
			return
		case 1:
			v.Set(reflect.MakeMap(v.Type()))
			return
		}
		v.Set(reflect.MakeMap(v.Type()))
		for i := 0; i < 1+rng.IntN(3); i++ {
			k := reflect.New(v.Type().Key()).Elem()
			fill(rng, k, depth+1)
			e := reflect.New(v.Type().Elem()).Elem()
			fill(rng, e, depth+1)
			v.SetMapIndex(k, e)
		}
	case reflect.String:
		v.SetString(hostile[rng.IntN(len(hostile))])
	case reflect.Int32, reflect.Int64:
		v.SetInt(rng.Int64N(1<<40) - 1<<39)
	case reflect.Bool:
		v.SetBool(rng.IntN(2) == 0)
	case reflect.Uint8:
		v.SetUint(uint64(rng.IntN(256)))
	}
}
