package sigv4

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cognate/cognate/internal/api"
)

// checkErr fails unless err is nil, ErrMissingAuth, or an *api.Error with
// one of this package's codes and a 400 status: nothing else may reach the
// wire layer.
func checkErr(t *testing.T, err error) {
	t.Helper()
	if err == nil || errors.Is(err, ErrMissingAuth) {
		return
	}
	var ae *api.Error
	if !errors.As(err, &ae) {
		t.Fatalf("error %v is %T, not *api.Error", err, err)
	}
	if Status(ae.Code) != http.StatusBadRequest {
		t.Fatalf("error code %q has no status", ae.Code)
	}
	if ae.Message == "" {
		t.Fatalf("error %s has no message", ae.Code)
	}
}

func FuzzParseAuthorization(f *testing.F) {
	f.Add(garbage)
	f.Add("AWS4-HMAC-SHA256 Credential=AKID/20240101/us-west-2/cognito-idp/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123abcd")
	f.Add("AWS4-HMAC-SHA256 Credential= AKID/20240101/us-east-1/cognito-idp/aws4_request")
	f.Add("AWS4-HMAC-SHA256")
	f.Add("AWS4-")
	f.Add("Bearer x")
	f.Add("AWS4-HMAC-SHA256 Credential=a/b/c/d,,,SignedHeaders=,Signature==\x00\xff")
	f.Add("AWS4-HMAC-SHA256\tCredential=a//b/c/d/e//\tSignature=x\tSignedHeaders=" + strings.Repeat(";", 70))
	f.Add("")
	v := &Verifier{}
	strict := strictVerifier()
	f.Fuzz(func(t *testing.T, header string) {
		a, err := parseAuthorization(header)
		if err != nil {
			if err.Code != CodeIncompleteSignature {
				t.Fatalf("parseAuthorization error code %s", err.Code)
			}
		} else {
			for _, part := range []string{a.algorithm, a.credential, a.signedHeaders, a.signature} {
				if !strings.Contains(header, part) {
					t.Fatalf("parsed %q is not part of the header", part)
				}
			}
		}
		r := &http.Request{Method: "POST", URL: &url.URL{Path: "/"}, Host: testHost, Header: http.Header{
			"Authorization": {header},
			"X-Amz-Date":    {"20240101T001000Z"},
		}}
		_, err1 := v.Authenticate(r, nil)
		checkErr(t, err1)
		_, err2 := strict.Authenticate(r, nil)
		checkErr(t, err2)
		if err1 != nil && err2 == nil {
			t.Fatalf("strict mode accepted what permissive mode refused: %v", err1)
		}
	})
}

// FuzzAuthenticate fuzzes the whole path with a fuzzed header set, query and
// path, starting from requests the SDK signed (so strict mode's signature
// check is reached and mutated around).
func FuzzAuthenticate(f *testing.F) {
	add := func(r *http.Request, body string) {
		f.Add(r.Method, r.Header.Get("Authorization"), r.Header.Get("X-Amz-Date"), r.Header.Get("Date"),
			r.URL.RawQuery, r.URL.EscapedPath(), r.Host, r.Header.Get("X-Amz-Content-Sha256"),
			"X-Custom", "a   b", body)
	}
	for _, target := range []string{"/", "/a%20b/c~d?x=1&y=%2F", "/?b=2&a=1"} {
		r := newRequest("POST", target, testBody)
		r.Header.Set("X-Custom", "a   b")
		signRequest(f, r, testBody, testCreds, testNow)
		add(r, testBody)
	}
	p := presign(f, "GET", "/?Action=Test", "300", unsignedPayload, testCreds, testNow)
	add(p, "")
	f.Add("POST", garbage, "20240101T000000Z", "", "", "/", testHost, "", "", "", "")
	f.Add("GET", "", "", "Mon, 01 Jan 2024 00:10:00 GMT", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=x&X-Amz-Expires=99999999999999999999", "//..//%zz", "", "UNSIGNED-PAYLOAD", "\x00", "\xff\xfe", "")

	permissive := &Verifier{}
	strict := strictVerifier()
	f.Fuzz(func(t *testing.T, method, authz, amzDate, date, rawQuery, path, host, sha, extraName, extraValue, body string) {
		h := http.Header{}
		set := func(k, v string) {
			if v != "" {
				h[k] = append(h[k], v)
			}
		}
		set("Authorization", authz)
		set("X-Amz-Date", amzDate)
		set("Date", date)
		set("X-Amz-Content-Sha256", sha)
		set("Content-Type", "application/x-amz-json-1.1")
		set("X-Amz-Target", testTarget)
		set(extraName, extraValue)
		r := &http.Request{
			Method:        method,
			URL:           &url.URL{Path: path, RawQuery: rawQuery},
			RequestURI:    path + "?" + rawQuery,
			Host:          host,
			Header:        h,
			ContentLength: int64(len(body)),
		}
		pid, perr := permissive.Authenticate(r, []byte(body))
		checkErr(t, perr)
		sid, serr := strict.Authenticate(r, []byte(body))
		checkErr(t, serr)
		if serr == nil {
			// What strict mode accepts, permissive mode accepts as the
			// same signer and scope.
			if perr != nil {
				t.Fatalf("strict accepted, permissive refused: %v", perr)
			}
			if !sid.Signed || sid.AccessKeyID != pid.AccessKeyID || sid.Region != pid.Region || sid.Service != pid.Service {
				t.Fatalf("strict %+v, permissive %+v", sid, pid)
			}
		}
		if perr != nil && (pid != Identity{}) {
			t.Fatalf("an error came with an identity: %+v", pid)
		}
	})
}
