package argv

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParseKnown feeds arbitrary command lines to an operation-like parser:
// no panic, and either an *Error or a result whose values came from the
// input.
func FuzzParseKnown(f *testing.F) {
	for _, s := range []string{
		"--user-pool-id a --username=b",
		"--user a",
		"--log-configurations x y -- --z",
		"--generate-cli-skeleton",
		"--force=1 --no-force",
		"--max-items -5 help",
		"- -- --- ---x =",
		"--user-pool-id\x00a",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Split(line, " ")
		res, extras, err := opParser().ParseKnown(args)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || pe.Message == "" {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		in := map[string]bool{}
		for _, a := range args {
			in[a] = true
			if _, v, ok := strings.Cut(a, "="); ok {
				in[v] = true
			}
		}
		in["input"] = true // --generate-cli-skeleton's const
		for dest, v := range res {
			for _, s := range v.Strings {
				if !in[s] {
					t.Fatalf("%s = %q, not from the input %q", dest, s, line)
				}
			}
		}
		for _, e := range extras {
			if !in[e] {
				t.Fatalf("extra %q not from the input", e)
			}
		}
	})
}
