// Package apitest holds the checks every generated api package runs on
// its generated code: the reflection-free encoders must write exactly what
// encoding/json writes. It imports internal/api and the standard library.
package apitest

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/cognate/cognate/internal/api"
)

// CheckAppendJSON fills every type with random values (absent and present
// members, empty and nil lists, hostile strings, odd floats) and checks
// that AppendJSON writes what encoding/json writes, byte for byte.
func CheckAppendJSON(t *testing.T, types []api.JSONAppender) {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 20; round++ {
		for _, proto := range types {
			v := reflect.New(reflect.TypeOf(proto).Elem())
			fill(rng, v.Elem(), 0)
			want, err := json.Marshal(v.Interface())
			if err != nil {
				t.Fatal(err)
			}
			got := v.Interface().(api.JSONAppender).AppendJSON(nil)
			if !bytes.Equal(got, want) {
				t.Fatalf("%s:\nAppendJSON    %s\nencoding/json %s", v.Elem().Type().Name(), got, want)
			}
		}
	}
}

var hostile = []string{"", "plain", "quote\"back\\slash", "<html>&amp;", "tab\tnew\nline\r\x00\x1f", "é😀", "\u2028\u2029", "bad\xffutf8", "\xed\xa0\x80"}

var floats = []float64{0, 1, -1.5, 0.1, 1e-7, 1e21, 123456789.125, 3.14159e-300, 1.7976931348623157e308}

func fill(rng *rand.Rand, v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.Pointer:
		if rng.IntN(4) == 0 || depth > 6 {
			return // absent
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(rng, v.Elem(), depth+1)
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(api.Time{}) {
			v.Set(reflect.ValueOf(api.Time{Time: time.UnixMilli(rng.Int64N(4e12))}))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			fill(rng, v.Field(i), depth+1)
		}
	case reflect.Slice:
		if v.Type() == reflect.TypeOf(api.Document(nil)) {
			docs := []string{`{"a": [1, 2, {"b": null}]}`, `"x"`, `3`, `[]`}
			v.Set(reflect.ValueOf(api.Document(docs[rng.IntN(len(docs))])))
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
	case reflect.Float32, reflect.Float64:
		v.SetFloat(floats[rng.IntN(len(floats))])
	case reflect.Bool:
		v.SetBool(rng.IntN(2) == 0)
	case reflect.Uint8:
		v.SetUint(uint64(rng.IntN(256)))
	}
}
