package shorthand

import (
	"errors"
	"strings"
	"testing"
)

type parseCase struct {
	name string
	in   string
	want string // canonical JSON of the result, when no error
	err  string // the exact Error() text, when an error
	load bool   // parse with stubLoad
}

// verifiedCases are the rows of the spec's "Verified results" table (§3).
var verifiedCases = []parseCase{
	{name: "csv list", in: `a=b,c`, want: `{"a":["b","c"]}`},
	{name: "two keys", in: `a=b,c=d`, want: `{"a":"b","c":"d"}`},
	{name: "two keys spaced", in: `a = b , c = d`, want: `{"a":"b","c":"d"}`},
	{name: "empty value", in: `a=`, want: `{"a":""}`},
	{name: "explicit list spaced", in: `a=[ b , c ]`, want: `{"a":["b","c"]}`},
	{name: "empty list", in: `a=[]`, want: `{"a":[]}`},
	{name: "empty hash", in: `a={}`, want: `{"a":{}}`},
	{name: "nested hash", in: `a={b=[1,2],c={d=e}}`, want: `{"a":{"b":["1","2"],"c":{"d":"e"}}}`},
	{name: "inner space", in: `a=b c`, want: `{"a":"b c"}`},
	{name: "single quoted comma", in: `a='b,c'`, want: `{"a":"b,c"}`},
	{name: "double quoted comma", in: `a="b,c"`, want: `{"a":"b,c"}`},
	{name: "escaped single quote", in: `a='it\'s'`, want: `{"a":"it's"}`},
	{name: "arn", in: `a=arn:aws:s3:::bucket`, want: `{"a":"arn:aws:s3:::bucket"}`},
	{name: "bracket after value", in: `a=x]y`, err: "Expected: ',', received: ']' for input:\n a=x]y\n   ^"},
	{name: "key characters", in: `a-b_c.d#e/f:g=1`, want: `{"a-b_c.d#e/f:g":"1"}`},
}

var grammarCases = []parseCase{
	// keyval and csv values
	{name: "single", in: `a=b`, want: `{"a":"b"}`},
	{name: "empty key", in: `=b`, want: `{"":"b"}`},
	{name: "empty key and value", in: `=`, want: `{"":""}`},
	{name: "back-tracking", in: `a=b,c,d=e`, want: `{"a":["b","c"],"d":"e"}`},
	{name: "back-tracking twice", in: `a=b,c,d=e,f,g=h`, want: `{"a":["b","c"],"d":["e","f"],"g":"h"}`},
	{name: "three items", in: `a=b, c ,d`, want: `{"a":["b","c","d"]}`},
	{name: "keys keep order", in: `z=1,a=2,m=3`, want: `{"z":"1","a":"2","m":"3"}`},
	{name: "map param", in: `k1=v1,k2=v2`, want: `{"k1":"v1","k2":"v2"}`},
	{name: "empty first then key", in: `a=,b=c`, want: `{"a":"","b":"c"}`},
	{name: "double comma quirk", in: `a=b,,c=d`, want: `{"a":"b","c":"d"}`},
	{name: "space after equals", in: `a= b`, want: `{"a":"b"}`},
	{name: "only spaces after equals", in: "a=  \t", want: `{"a":""}`},
	{name: "trailing whitespace stripped", in: "a=b \t", want: `{"a":"b"}`},
	{name: "python whitespace stripped", in: "a=b\u00a0\u3000\x1c", want: `{"a":"b"}`},
	{name: "inner tab kept", in: "a=b\tc", want: `{"a":"b\tc"}`},
	{name: "newline inside value", in: "a=b\nc", want: `{"a":"b\nc"}`},
	{name: "spaces around keyvals", in: "a=b  ,  c=d", want: `{"a":"b","c":"d"}`},
	{name: "space in second value", in: `a=b,c d`, want: `{"a":["b","c d"]}`},
	{name: "trailing spaces of list", in: `a=b,c  `, want: `{"a":["b","c"]}`},

	// character classes
	{name: "dash start", in: `a=-b`, want: `{"a":"-b"}`},
	{name: "bang start", in: `a=!b`, want: `{"a":"!b"}`},
	{name: "backslash start", in: `a=\b`, want: `{"a":"\\b"}`},
	{name: "equals in first", in: `a=b=c`, want: `{"a":"b=c"}`},
	{name: "brace in first", in: `a=x{y`, want: `{"a":"x{y"}`},
	{name: "bracket in first", in: `a=x[y`, want: `{"a":"x[y"}`},
	{name: "brace in second", in: `a=b,c}d`, want: `{"a":["b","c}d"]}`},
	{name: "bracket in second", in: `a=b,c]d`, want: `{"a":["b","c]d"]}`},
	{name: "closing bracket starts", in: `a=]`, want: `{"a":"]"}`},
	{name: "closing brace starts", in: `a=}`, want: `{"a":"}"}`},
	{name: "tilde and pipe", in: `a=~|^`, want: `{"a":"~|^"}`},
	{name: "bmp non-ascii", in: "a=é€\uffff", want: "{\"a\":\"é€\uffff\"}"},
	{name: "url", in: `a=https://x.example/p?q=1&r=2`, want: `{"a":"https://x.example/p?q=1&r=2"}`},
	{name: "astral rejected", in: "a=😀", err: "Expected: ',', received: '😀' for input:\n a=😀\n  ^"},
	{name: "astral after value", in: "a=b😀", err: "Expected: ',', received: '😀' for input:\n a=b😀\n   ^"},
	{name: "astral quoted", in: "a='😀'", want: `{"a":"😀"}`},
	{name: "control char ends value", in: "a=b\x01", err: "Expected: ',', received: '\x01' for input:\n a=b\x01\n   ^"},
	{name: "quote in middle", in: `a=b'c`, err: "Expected: ',', received: ''' for input:\n a=b'c\n   ^"},
	{name: "double quote in middle", in: `a=b"c`, err: "Expected: ',', received: '\"' for input:\n a=b\"c\n   ^"},

	// escaped comma
	{name: "escaped comma", in: `a=b\,c`, want: `{"a":"b,c"}`},
	{name: "escaped comma first", in: `a=\,b`, want: `{"a":",b"}`},
	{name: "escaped comma second", in: `a=x,b\,c`, want: `{"a":["x","b,c"]}`},
	{name: "escaped comma in list", in: `a=[b\,c,d]`, want: `{"a":["b,c","d"]}`},
	{name: "backslash before escaped comma", in: `a=b\\,c`, want: `{"a":"b\\,c"}`},
	{name: "back-track into escaped comma", in: `a=b,c\,d=e`, want: `{"a":"b","d":"e"}`},

	// explicit lists
	{name: "list trailing comma", in: `a=[b,]`, want: `{"a":["b"]}`},
	{name: "list leading comma", in: `a=[,b]`, want: `{"a":["","b"]}`},
	{name: "list only comma", in: `a=[,]`, want: `{"a":[""]}`},
	{name: "list two commas", in: `a=[,,]`, want: `{"a":["",""]}`},
	{name: "list spaces only", in: `a=[ ]`, want: `{"a":[]}`},
	{name: "list value with space", in: `a=[b c, d]`, want: `{"a":["b c","d"]}`},
	{name: "list value with equals", in: `a=[b=c]`, want: `{"a":["b=c"]}`},
	{name: "nested lists", in: `a=[[b],[c,[d]],[]]`, want: `{"a":[["b"],["c",["d"]],[]]}`},
	{name: "list of hashes", in: `a=[{b=c},{d=e}]`, want: `{"a":[{"b":"c"},{"d":"e"}]}`},
	{name: "list quoted", in: `a=['x,y',"]"]`, want: `{"a":["x,y","]"]}`},
	{name: "list then key", in: `a=[b] , c=d`, want: `{"a":["b"],"c":"d"}`},
	{name: "space before list", in: `a= [b]`, want: `{"a":["b"]}`},
	{name: "list unterminated", in: `a=[b`, err: "Expected: ',', received: 'EOF' for input:\n a=[b\n    ^"},
	{name: "list open only", in: `a=[`, err: "Expected: ',', received: 'EOF' for input:\n a=[\n   ^"},
	{name: "list then csv", in: `a=[b],c`, err: "Expected: '=', received: 'EOF' for input:\n a=[b],c\n       ^"},
	{name: "list bad separator", in: `a=[b c'd']`, err: "Expected: ',', received: ''' for input:\n a=[b c'd']\n      ^"},

	// hash literals
	{name: "hash trailing comma", in: `a={b=c,}`, want: `{"a":{"b":"c"}}`},
	{name: "hash spaced", in: `a={ b = c , d = [ e ] }`, want: `{"a":{"b":"c","d":["e"]}}`},
	{name: "hash empty key", in: `a={=c}`, want: `{"a":{"":"c"}}`},
	{name: "hash empty value", in: `a={b=,c=d}`, want: `{"a":{"b":"","c":"d"}}`},
	{name: "hash repeated key", in: `a={b=1,c=2,b=3}`, want: `{"a":{"b":"3","c":"2"}}`},
	{name: "hash deep", in: `a={b={c={d=[{e=f}]}}}`, want: `{"a":{"b":{"c":{"d":[{"e":"f"}]}}}}`},
	{name: "hash value stops at comma", in: `a={b=c,d}`, err: "Expected: '=', received: '}' for input:\n a={b=c,d}\n        ^"},
	{name: "hash unterminated", in: `a={b=c`, err: "Expected: ',', received: 'EOF' for input:\n a={b=c\n      ^"},
	{name: "hash open only", in: `a={`, err: "Expected: '=', received: 'EOF' for input:\n a={\n   ^"},
	{name: "hash brace value", in: `a={b=}`, err: "Expected: ',', received: 'EOF' for input:\n a={b=}\n      ^"},
	{name: "hash brace value closed", in: `a={b=}}`, want: `{"a":{"b":"}"}}`},
	{name: "hash comma key", in: `a={,}`, err: "Expected: '=', received: ',' for input:\n a={,}\n   ^"},
	{name: "hash then csv", in: `a={b=c},d=e`, want: `{"a":{"b":"c"},"d":"e"}`},

	// quoted strings
	{name: "double escaped quote", in: `a="say \"hi\""`, want: `{"a":"say \"hi\""}`},
	{name: "single keeps other escapes", in: `a='x\"y\n'`, want: `{"a":"x\\\"y\\n"}`},
	{name: "double backslash", in: `a='x\\y'`, want: `{"a":"x\\y"}`},
	{name: "simplified regex 1", in: `a='a\\'b'`, want: `{"a":"a\\'b"}`},
	{name: "simplified regex 2", in: `a='x\\',b=c`, want: `{"a":"x\\","b":"c"}`},
	{name: "quoted with brackets", in: `a='[{=}]'`, want: `{"a":"[{=}]"}`},
	{name: "quoted empty", in: `a=''`, want: `{"a":""}`},
	{name: "quoted second", in: `a=b,'c,d',"e"`, want: `{"a":["b","c,d","e"]}`},
	{name: "quoted then space", in: `a='b' , c=d`, want: `{"a":"b","c":"d"}`},
	{name: "quoted keeps spaces", in: `a=' b '`, want: `{"a":" b "}`},
	{name: "unterminated single", in: `a='abc`, err: "Expected: '<singled quoted>', received: '<none>' for input:\n a='abc\n  ^"},
	{name: "unterminated double", in: `a="abc`, err: "Expected: '<double quoted>', received: '<none>' for input:\n a=\"abc\n  ^"},
	{name: "unterminated ends at escaped quote", in: `a='x\'y`, err: "Expected: ',', received: 'y' for input:\n a='x\\'y\n      ^"},
	{name: "unterminated whole escaped", in: `a='x\'`, want: `{"a":"x\\"}`},
	{name: "quoted then text", in: `a='b'c=d`, err: "Expected: ',', received: 'c' for input:\n a='b'c=d\n     ^"},
	{name: "back-track into quoted second", in: `a=b,'x,y'z`, err: "Expected: '=', received: ''' for input:\n a=b,'x,y'z\n        ^"},
	{name: "unterminated second", in: `a=b,'c`, err: "Expected: '=', received: ''' for input:\n a=b,'c\n    ^"},

	// errors
	{name: "empty input", in: ``, err: "Expected: '=', received: 'EOF' for input:\n \n^"},
	{name: "no equals", in: `a`, err: "Expected: '=', received: 'EOF' for input:\n a\n ^"},
	{name: "leading space", in: ` a=b`, err: "Expected: '=', received: 'a' for input:\n  a=b\n ^"},
	{name: "leading newline", in: "\na=b", err: "Expected: '=', received: 'a' for input:\n \na=b\n^"},
	{name: "trailing comma", in: `a=b,`, err: "Expected: '<second>', received: '<none>' for input:\n a=b,\n    ^"},
	{name: "trailing comma spaced", in: `a=b, `, err: "Expected: '<second>', received: '<none>' for input:\n a=b, \n     ^"},
	{name: "trailing comma after list", in: `a=b,c,`, err: "Expected: '<second>', received: '<none>' for input:\n a=b,c,\n      ^"},
	{name: "comma after keyval", in: `a=[b],`, err: "Expected: '=', received: 'EOF' for input:\n a=[b],\n      ^"},
	{name: "bad key char", in: `a=b,c!=d`, err: "Expected: '=', received: '!' for input:\n a=b,c!=d\n     ^"},
	{name: "space instead of comma", in: `a=[b] c=d`, err: "Expected: ',', received: 'c' for input:\n a=[b] c=d\n      ^"},
	{name: "double equals", in: `a==b`, err: "Expected: ',', received: '=' for input:\n a==b\n  ^"},

	// duplicate keys
	{name: "duplicate key spec", in: `LogLevel=INFO,EventSource=userAuthEvents,LogLevel=ERROR`,
		err: "Second instance of key \"LogLevel\" encountered for input:\nLogLevel=INFO,EventSource=userAuthEvents,LogLevel=ERROR\n" +
			"                                         ^\nThis is often because there is a preceding \",\" instead of a space."},
	{name: "duplicate empty key", in: `=a,=b`,
		err: "Second instance of key \"\" encountered for input:\n=a,=b\n   ^\nThis is often because there is a preceding \",\" instead of a space."},
	{name: "duplicate after list", in: `a=[b] ,a=c`,
		err: "Second instance of key \"a\" encountered for input:\na=[b] ,a=c\n      ^\nThis is often because there is a preceding \",\" instead of a space."},
	{name: "duplicate multi-line", in: "a=1,\nb=2,\na=3",
		err: "Second instance of key \"a\" encountered for input:\na=1,\nb=2,\n    ^\na=3\nThis is often because there is a preceding \",\" instead of a space."},

	// multi-line inputs
	{name: "error on second line", in: "a=b,\nc==d", err: "Expected: ',', received: '=' for input:\n a=b,\nc==d\n  ^"},
	{name: "error on first of three", in: "a==b\nc=d\ne=f", err: "Expected: ',', received: '=' for input:\n a==b\n  ^\nc=d\ne=f"},
	{name: "error at end of third", in: "a=b,\nc=d,\ne=[f", err: "Expected: ',', received: 'EOF' for input:\n a=b,\nc=d,\ne=[f\n    ^"},
	{name: "error on middle line", in: "a=b,\nc=d'x\ne=f", err: "Expected: ',', received: ''' for input:\n a=b,\nc=d'x\n   ^\ne=f"},
	{name: "value spans lines", in: "a=b,\nc=[d,\n}\ne=f", err: "Expected: ',', received: 'EOF' for input:\n a=b,\nc=[d,\n}\ne=f\n   ^"},
	{name: "multi-byte column", in: "a=éé,\nb=😀", err: "Expected: ',', received: '😀' for input:\n a=éé,\nb=😀\n  ^"},
	{name: "multi-byte column first line", in: "a=éé'", err: "Expected: ',', received: ''' for input:\n a=éé'\n    ^"},

	// @= file loads
	{name: "at without loader kept", in: `a@=file://x`, want: `{"a":"file://x"}`},
	{name: "file load", in: `a@=file://x`, want: `{"a":"F[x]"}`, load: true},
	{name: "fileb load", in: `a@=fileb://x`, want: `{"a":{"$bytes":"Qlt4XQ=="}}`, load: true},
	{name: "at without prefix", in: `a@=x`, want: `{"a":"x"}`, load: true},
	{name: "plain equals literal", in: `a=file://x`, want: `{"a":"file://x"}`, load: true},
	{name: "prefix is case-sensitive", in: `a@=FILE://x`, want: `{"a":"FILE://x"}`, load: true},
	{name: "at spaced", in: `a @ = file://x`, want: `{"a":"F[x]"}`, load: true},
	{name: "at empty value", in: `a@=`, want: `{"a":""}`, load: true},
	{name: "at quoted", in: `a@='file://x y'`, want: `{"a":"F[x y]"}`, load: true},
	{name: "at csv", in: `a@=file://x,fileb://y,z`, want: `{"a":["F[x]",{"$bytes":"Qlt5XQ=="},"z"]}`, load: true},
	{name: "at list", in: `a@=[file://x,y]`, want: `{"a":["F[x]","y"]}`, load: true},
	{name: "at in hash", in: `a={b@=file://x,c=file://y}`, want: `{"a":{"b":"F[x]","c":"file://y"}}`, load: true},
	{name: "at only for its key", in: `a@=file://x,b=file://y`, want: `{"a":"F[x]","b":"file://y"}`, load: true},
	{name: "hash key resets flag", in: `a@=[{b=c},file://x]`, want: `{"a":[{"b":"c"},"file://x"]}`, load: true},
	{name: "hash key sets flag", in: `a=[{b@=c},file://x]`, want: `{"a":[{"b":"c"},"F[x]"]}`, load: true},
	{name: "at bad", in: `a@b=c`, err: "Expected: '=', received: 'b' for input:\n a@b=c\n  ^", load: true},
	{name: "at twice", in: `a@@=c`, err: "Expected: '=', received: '@' for input:\n a@@=c\n  ^", load: true},
}

func TestParse(t *testing.T) {
	for _, group := range [][]parseCase{verifiedCases, grammarCases} {
		for _, c := range group {
			t.Run(c.name, func(t *testing.T) {
				var opts Options
				if c.load {
					opts.LoadFile = stubLoad
				}
				got, err := Parse(c.in, opts)
				if c.err != "" {
					var se *SyntaxError
					if !errors.As(err, &se) {
						t.Fatalf("Parse(%q) = %s, %v; want error %q", c.in, canon(got), err, c.err)
					}
					if err.Error() != c.err {
						t.Fatalf("Parse(%q) error\n got %q\nwant %q", c.in, err.Error(), c.err)
					}
					if got != nil {
						t.Errorf("Parse(%q) returned a value with its error", c.in)
					}
					return
				}
				if err != nil {
					t.Fatalf("Parse(%q): %v", c.in, err)
				}
				if s := canon(got); s != c.want {
					t.Fatalf("Parse(%q)\n got %s\nwant %s", c.in, s, c.want)
				}
			})
		}
	}
}

func TestLoadFileError(t *testing.T) {
	for _, in := range []string{`a@=file://missing`, `a@=b,fileb://missing,c=d`, `a={b@=file://missing}`} {
		_, err := Parse(in, Options{LoadFile: stubLoad})
		if err != errMissing {
			t.Errorf("Parse(%q) error = %v, want the LoadFile error unchanged", in, err)
		}
	}
}

func TestLoadFileArguments(t *testing.T) {
	var calls []string
	load := func(prefix, path string) (any, error) {
		calls = append(calls, prefix+"|"+path)
		return "x", nil
	}
	if _, err := Parse(`a@=file://~/p q.json,b@=fileb://$HOME/f,c@=fileb://`, Options{LoadFile: load}); err != nil {
		t.Fatal(err)
	}
	want := "file://|~/p q.json fileb://|$HOME/f fileb://|"
	if got := strings.Join(calls, " "); got != want {
		t.Errorf("calls = %q, want %q", got, want)
	}
}

func TestLoadFileNilKeepsText(t *testing.T) {
	got, err := Parse(`a@=file://x`, Options{LoadFile: func(string, string) (any, error) { return nil, nil }})
	if err != nil || canon(got) != `{"a":"file://x"}` {
		t.Errorf("got %s, %v", canon(got), err)
	}
}

func TestSyntaxErrorFields(t *testing.T) {
	_, err := Parse("a=é]", Options{})
	se, ok := err.(*SyntaxError)
	if !ok {
		t.Fatalf("err = %v", err)
	}
	if se.Kind != Unexpected || se.Offset != 4 || se.Expected != "," || se.Received != "]" || se.Input != "a=é]" {
		t.Errorf("%+v", se)
	}
	_, err = Parse("k=1,k=2", Options{})
	if se, ok := err.(*SyntaxError); !ok || se.Kind != DuplicateKey || se.Key != "k" || se.Offset != 4 {
		t.Errorf("%#v", err)
	}
}

func TestDepthLimit(t *testing.T) {
	deep := "a=" + strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth)
	if _, err := Parse(deep, Options{}); err != nil {
		t.Fatalf("depth %d: %v", MaxDepth, err)
	}
	tooDeep := "a=" + strings.Repeat("{b=[", MaxDepth/2+1)
	_, err := Parse(tooDeep, Options{})
	if se, ok := err.(*SyntaxError); !ok || se.Kind != TooDeep || se.Error() != "maximum recursion depth exceeded" {
		t.Fatalf("err = %v", err)
	}
}

func TestInvalidUTF8(t *testing.T) {
	// Bytes that are not UTF-8 count as one BMP character each, like the
	// surrogate-escaped bytes of Python's argv.
	got, err := Parse("a=\xff\xfe,b='\xff'", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := got.Get("a"); v != "\xff\xfe" {
		t.Errorf("a = %q", v)
	}
	_, err = Parse("a=\xff\xff'", Options{})
	if err == nil || err.Error() != "Expected: ',', received: ''' for input:\n a=\xff\xff'\n    ^" {
		t.Errorf("err = %q", err)
	}
}
