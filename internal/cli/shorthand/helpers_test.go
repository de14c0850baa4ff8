package shorthand

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/cognate/cognate/internal/cli/value"
)

// canon renders a parse result as JSON with object keys in their order;
// []byte becomes {"$bytes":"<base64>"}.
func canon(v any) string {
	var b strings.Builder
	writeCanon(&b, v)
	return b.String()
}

func writeCanon(b *strings.Builder, v any) {
	switch t := v.(type) {
	case *value.Object:
		b.WriteByte('{')
		for i, k := range t.Keys() {
			if i > 0 {
				b.WriteByte(',')
			}
			writeCanon(b, k)
			b.WriteByte(':')
			e, _ := t.Get(k)
			writeCanon(b, e)
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			writeCanon(b, e)
		}
		b.WriteByte(']')
	case []byte:
		b.WriteString(`{"$bytes":`)
		writeCanon(b, base64.StdEncoding.EncodeToString(t))
		b.WriteByte('}')
	case string:
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(t)
		b.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	case nil, bool, int64, float64:
		j, _ := json.Marshal(t)
		b.Write(j)
	default:
		fmt.Fprintf(b, "<%T %v>", v, v)
	}
}

// errMissing is what stubLoad returns for the path "missing".
var errMissing = errors.New("stub: cannot load missing")

// stubLoad stands in for the CLI's file loading: file://P reads as the
// text "F[P]", fileb://P as the bytes "B[P]", and P = "missing" fails.
// The differential test installs the same stub in Python.
func stubLoad(prefix, path string) (any, error) {
	if path == "missing" {
		return nil, errMissing
	}
	if prefix == "fileb://" {
		return []byte("B[" + path + "]"), nil
	}
	return "F[" + path + "]", nil
}
