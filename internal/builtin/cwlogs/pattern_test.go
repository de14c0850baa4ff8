package cwlogs

import (
	"errors"
	"strings"
	"testing"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/builtin/cwlogs/logsapi"
)

// The documentation's examples [DOC FilterAndPatternSyntax, archived guide
// and current page] and the edge cases Cognate decides.
const docJSON = `{
  "eventType": "UpdateTrail",
  "sourceIPAddress": "111.111.111.111",
  "arrayKey": ["value", "another value"],
  "objectList": [{"name": "a", "id": 1}, {"name": "b", "id": 2}],
  "SomeObject": null,
  "ThisFlag": true
}`

const compoundJSON = `{
    "user": {"id": 1, "email": "John.Stiles@example.com"},
    "users": [{"id": 2, "email": "John.Doe@example.com"}, {"id": 3, "email": "Jane.Doe@example.com"}],
    "actions": ["GET", "PUT", "DELETE"],
    "coordinates": [[0, 1, 2], [4, 5, 6], [7, 8, 9]]
}`

func TestPatternMatches(t *testing.T) {
	cases := []struct {
		pattern, message string
		want             bool
	}{
		// Everything.
		{"", "anything", true},
		{"   ", "anything", true},
		{`""`, "anything", true},
		// Terms: case-sensitive substrings, all of them [DOC examples 1–3].
		{"ERROR", "[ERROR] A fatal exception has occurred", true},
		{"ERROR", "Exiting with ERRORCODE: -1", true},
		{"ERROR", "error: lower case", false},
		{"ERROR Exception", "[ERROR] Caught IllegalArgumentException", true},
		{"ERROR Exception", "[ERROR] Unhandled", false},
		{"Exception ERROR", "[ERROR] Unhandled Exception", true},
		{`"ERROR" - "Exiting"`, "Exiting with ERRORCODE: -1", false},
		{`"ERROR" - "Exiting"`, "[ERROR] A fatal exception has occurred", true},
		{"ERROR -WARN", "ERROR WARN message", false},
		{"ERROR -WARN", "ERROR message", true},
		{"?ERROR ?WARN", "ERROR WARN message", true},
		{"?ERROR ?WARN", "WARN message", true},
		{"?ERROR ?WARN", "INFO message", false},
		{"ERROR WARN", "ERROR message", false},
		{`"Failed to process the request"`, "[WARN] Failed to process the request", true},
		{`"Failed to process the request"`, "Failed to process request", false},
		{`"ERROR 401"`, "status ERROR 401 x", true},
		{`"say \"hi\""`, `they say "hi"`, true},
		{"-DEBUG", "INFO x", true},
		{"-DEBUG", "DEBUG x", false},
		{"é_1", "x é_1 y", true},
		// Regex terms [DOC current page].
		{"%ERROR%", "an ERROR here", true},
		{"%colou?r%", "the color", true},
		{"%colou?r%", "the colour", true},
		{"%colou?r%", "the colr", false},
		{"%^start%", "start here", true},
		{"%^start%", "not start", false},
		{`%10\.10\.0\.1%`, "from 10.10.0.1", true},
		{`%10\.10\.0\.1%`, "from 10x10x0x1", false},
		{"%gray|grey%", "grey cat", true},
		{"%[0-9]+ms% -DEBUG", "took 45ms", true},
		// JSON [DOC examples].
		{`{ $.eventType = "UpdateTrail" }`, docJSON, true},
		{`{$.eventType="UpdateTrail"}`, docJSON, true},
		{`{ $.eventType = UpdateTrail }`, docJSON, true},
		{`{ $.eventType = "Update" }`, docJSON, false},
		{`{ $.eventType = *Trail }`, docJSON, true},
		{`{ $.eventType = Update* }`, docJSON, true},
		{`{ $.eventType = *date* }`, docJSON, true},
		{`{ $.eventType = Up*Trail }`, docJSON, false}, // a * in the middle is literal
		{`{ $.eventType != "UpdateTrail" }`, docJSON, false},
		{`{ $.sourceIPAddress != 123.123.* }`, docJSON, true},
		{`{ $.sourceIPAddress = 111.111.* }`, docJSON, true},
		{`{ $.arrayKey[0] = "value" }`, docJSON, true},
		{`{ $.arrayKey[1] = "value" }`, docJSON, false},
		{`{ $.arrayKey[5] = "value" }`, docJSON, false},
		{`{ $.objectList[1].id = 2 }`, docJSON, true},
		{`{ $.objectList[1].id = 1 }`, docJSON, false},
		{`{ $.SomeObject IS NULL }`, docJSON, true},
		{`{ $.eventType IS NULL }`, docJSON, false},
		{`{ $.Missing IS NULL }`, docJSON, false},
		{`{ $.SomeOtherObject NOT EXISTS }`, docJSON, true},
		{`{ $.SomeObject NOT EXISTS }`, docJSON, false},
		{`{ $.ThisFlag IS TRUE }`, docJSON, true},
		{`{ $.ThisFlag IS FALSE }`, docJSON, false},
		{`{ $.ThisFlag is true }`, docJSON, true},
		{`{ $.eventType = * }`, docJSON, true},
		{`{ $.missing = * }`, docJSON, false},
		// An array or object reached: = and != are both false [DOC].
		{`{ $.arrayKey = 1 }`, docJSON, false},
		{`{ $.arrayKey != 1 }`, docJSON, false},
		{`{ $.objectList != "x" }`, docJSON, false},
		// A missing selector: = and != are false (inferred).
		{`{ $.missing != "x" }`, docJSON, false},
		// Compound conditions [DOC].
		{`{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }`, compoundJSON, true},
		{`{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }`, compoundJSON, false},
		{`{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }`, compoundJSON, true},
		{`{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }`, compoundJSON, false},
		{`{ $.coordinates[2][0] = 7 }`, compoundJSON, true},
		{`{ $.foo = bar || $.foo = baz }`, `{"foo": "baz"}`, true},
		// Numbers [DOC].
		{`{ $.latency >= 500 }`, `{"latency": 500}`, true},
		{`{ $.latency >= 500 }`, `{"latency": 499.9}`, false},
		{`{ $.numbers[0] < 10e3 }`, `{"numbers": [9999]}`, true},
		{`{ $.numbers[0] < 10e-3 }`, `{"numbers": [0.001]}`, true},
		{`{ $.numbers[0] < 10e-3 }`, `{"numbers": [0.01]}`, false},
		{`{ $.processes[4].averageRuntime <= 55.5 }`, `{"processes": [0,0,0,0,{"averageRuntime": 55.5}]}`, true},
		{`{ $.errorCode = 400 }`, `{"errorCode": 400}`, true},
		{`{ $.errorCode = 400 }`, `{"errorCode": 400.0}`, true},
		{`{ $.errorCode != 500 }`, `{"errorCode": 400}`, true},
		{`{ $.latency > +1000 }`, `{"latency": 1001}`, true},
		{`{ $.latency > -5 }`, `{"latency": -4}`, true},
		{`{ $.latency > 5 }`, `{"latency": "6"}`, false}, // a string is not a number
		{`{ $.code = "200" }`, `{"code": 200}`, true},
		{`{ $.code = 200 }`, `{"code": "200"}`, true},
		// The example, and messages that are not JSON.
		{`{ $.logLevel = "ERROR" }`, `{"logLevel":"ERROR","eventSource":"USER_NOTIFICATION"}`, true},
		{`{ $.logLevel = "ERROR" }`, `{"logLevel":"INFO"}`, false},
		{`{ $.logLevel = "ERROR" }`, `logLevel=ERROR`, false},
		{`{ $.logLevel = "ERROR" }`, `{"logLevel":"ERROR"} trailing`, false},
		{`{ $.a NOT EXISTS }`, `not json`, false},
		{`{ $.message = %ERR.R% }`, `{"message": "an ERROR"}`, true},
		{`{ $.a.b-c_d = 1 }`, `{"a": {"b-c_d": 1}}`, true},
		// Space-delimited [DOC].
		{`[ip, user, username, timestamp, request, status_code, bytes]`, `127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534`, true},
		{`[ip, user, username, timestamp, request, status_code, bytes]`, `127.0.0.1 - frank 200 1534`, false},
		{`[..., status_code, bytes]`, `127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534`, true},
		{`[ip, user, ...]`, `127.0.0.1 - frank x`, true},
		{`[ip, user, username, timestamp, request, status_code, bytes > 1000]`, `127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534`, true},
		{`[ip, user, username, timestamp, request, status_code, bytes > 2000]`, `127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534`, false},
		{`[ip, user, username, timestamp, request, status_code = 200, bytes]`, `127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324`, false},
		{`[ip, user, username, timestamp, request, status_code = 5*, bytes]`, `127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324`, true},
		{`[ip, user, username, timestamp, request = *gif*, status_code = 5*, bytes]`, `127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324`, true},
		{`[..., request=*.html*, status_code=4*,]`, `127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534`, true},
		{`[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]`, `1 - f [t] "r" 404 1`, true},
		{`[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]`, `1 - f [t] "r" 403 1`, false},
		{`[w1=ERROR, w2]`, `ERROR message`, true},
		{`[w1=ERROR, w2]`, `WARN message`, false},
		{`[w1=ERROR || w1=WARN, w2]`, `WARN message`, true},
		{`[w1=%ERR|WARN%, w2]`, `WARNING message`, true},
	}
	for _, tc := range cases {
		p, err := ParsePattern(tc.pattern)
		if err != nil {
			t.Errorf("ParsePattern(%q): %v", tc.pattern, err)
			continue
		}
		if got := p.Match(tc.message); got != tc.want {
			t.Errorf("%q on %q = %v, want %v", tc.pattern, tc.message, got, tc.want)
		}
	}
}

func TestPatternErrors(t *testing.T) {
	const generic = "Invalid filter pattern"
	cases := []struct {
		pattern, message string
	}{
		{`{ $.a = 1`, "If a filter pattern starts with '{' it must end with '}'"},
		{`{`, "If a filter pattern starts with '{' it must end with '}'"},
		{`ERROR:`, "Invalid filter pattern: Invalid character(s) in term 'ERROR:'"},
		{`user@example.com`, "Invalid filter pattern: Invalid character(s) in term 'user@example.com'"},
		{`a ""`, `Invalid filter pattern: Invalid character(s) in term '""'`},
		{`"unterminated`, generic},
		{`"a"b`, generic},
		{`-`, generic},
		{`?`, generic},
		{`%%`, generic},
		{`%a(b)%`, generic},        // no parentheses in regexes
		{`%a!%`, generic},          // ! is not allowed
		{`%é%`, generic},           // no multi-byte characters
		{`%[a%`, generic},          // does not compile
		{`%unterminated`, generic}, // no closing %
		{`{ }`, generic},
		{`{ $.a }`, generic},
		{`{ $.a = }`, generic},
		{`{ a = 1 }`, generic},
		{`{ $.a == 1 }`, generic},
		{`{ $.a = 1 & $.b = 2 }`, generic},
		{`{ $.a = 1 | $.b = 2 }`, generic},
		{`{ ($.a = 1 }`, generic},
		{`{ $.a = 1) }`, generic},
		{`{ $.a = 1 && }`, generic},
		{`{ $.a > "x" }`, generic},
		{`{ $.a < abc }`, generic},
		{`{ $.a IS MAYBE }`, generic},
		{`{ $.a NOT THERE }`, generic},
		{`{ $. = 1 }`, generic},
		{`{ $.a[x] = 1 }`, generic},
		{`{ $.a = 1 $.b = 2 }`, generic},
		{`{ $.a = a@b }`, "Invalid filter pattern: Invalid character(s) in term 'a@b'"},
		{`{ $.a = %x% || $.b = %y% || $.c = %z% }`, generic}, // at most 2 regexes
		{`[a, b`, generic},
		{`[a, b = ]`, generic},
		{`[a, "b]`, generic},
		{`[a, b > x]`, generic},
	}
	for _, tc := range cases {
		_, err := ParsePattern(tc.pattern)
		var ae *api.Error
		if !errors.As(err, &ae) || !errors.Is(err, logsapi.ErrInvalidParameter) || ae.Message != tc.message {
			t.Errorf("ParsePattern(%q) = %v, want InvalidParameterException %q", tc.pattern, err, tc.message)
		}
	}
}

func TestPatternMatchesAll(t *testing.T) {
	for _, src := range []string{"", " ", `""`} {
		if p, err := ParsePattern(src); err != nil || !p.MatchesAll() {
			t.Errorf("%q: %v", src, err)
		}
	}
	if p, _ := ParsePattern("x"); p.MatchesAll() {
		t.Error(`"x" matches all`)
	}
}

// FuzzParsePattern: no pattern panics the parser or the matcher, and every
// refusal is InvalidParameterException.
func FuzzParsePattern(f *testing.F) {
	for _, seed := range []string{
		"", "ERROR", `"a b" -c ?d`, "%a+b%", `{ $.a = "x" }`, `{ ($.a = 1 || $.b != *x) && $.c IS NULL }`,
		`{ $.a[0][1].b >= -1.5e3 }`, `[ip, ..., status = 4* && bytes > 10, ]`, `{ $.a NOT EXISTS }`, `[w1=%E|W%, w2]`,
		"{", "[", "%", `"`, "{ $", "{ $.a[", `{ $.a = "\`, "[a,", "?-", strings.Repeat("(", 50),
	} {
		f.Add(seed, `{"a": [{"b": 1}], "c": null} 127.0.0.1 - "x y" [z] ERROR`)
	}
	f.Fuzz(func(t *testing.T, pattern, message string) {
		p, err := ParsePattern(pattern)
		if err != nil {
			var ae *api.Error
			if !errors.As(err, &ae) || ae.Code != logsapi.ErrInvalidParameter.Code || !strings.HasPrefix(ae.Message, "I") {
				t.Fatalf("ParsePattern(%q) = %v, want InvalidParameterException", pattern, err)
			}
			return
		}
		p.Match(message)
	})
}
