package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// This file builds the canonical request, the string to sign and the
// signature, step by step as AWS describes them in "Create a signed AWS API
// request" (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html):
//
//	CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n
//	                   CanonicalHeaders \n SignedHeaders \n HashedPayload
//	StringToSign     = "AWS4-HMAC-SHA256" \n RequestDateTime \n CredentialScope \n
//	                   hex(SHA256(CanonicalRequest))
//	kSigning         = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request")
//	Signature        = hex(HMAC(kSigning, StringToSign))

// param is one query-string parameter, percent-decoded.
type param struct{ key, value string }

// parseQuery splits a raw query string at '&' and each pair at the first '='
// ("a" alone is "a="), percent-decoding both sides. It is lenient on purpose:
// a '+' stays a '+' (RFC 3986 gives it no meaning; SDKs send spaces as %20),
// a malformed escape stays as written, and empty pairs are dropped, as the
// SDKs drop them when they sign. Go's url.ParseQuery is not used because it
// rejects ';' and turns '+' into a space.
func parseQuery(raw string) []param {
	if raw == "" {
		return nil
	}
	params := make([]param, 0, strings.Count(raw, "&")+1)
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		params = append(params, param{unescape(k), unescape(v)})
	}
	return params
}

// lookup returns the first value of key, and whether it is present.
func lookup(params []param, key string) (string, bool) {
	for _, p := range params {
		if p.key == key {
			return p.value, true
		}
	}
	return "", false
}

// canonicalQuery encodes every name and value (RFC 3986: all but
// A-Z a-z 0-9 - _ . ~ as %XX), sorts by encoded name then encoded value
// ("the sorting occurs after encoding", create-signed-request.html), and
// joins them as name=value with '&'. skip names a parameter left out: a
// presigned URL's X-Amz-Signature, which cannot sign itself.
func canonicalQuery(params []param, skip string) string {
	enc := make([]param, 0, len(params))
	for _, p := range params {
		if skip != "" && p.key == skip {
			continue
		}
		enc = append(enc, param{uriEncode(p.key, false), uriEncode(p.value, false)})
	}
	sort.Slice(enc, func(i, j int) bool {
		if enc[i].key != enc[j].key {
			return enc[i].key < enc[j].key
		}
		return enc[i].value < enc[j].value
	})
	var b strings.Builder
	for i, p := range enc {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.key)
		b.WriteByte('=')
		b.WriteString(p.value)
	}
	return b.String()
}

// canonicalURI returns the canonical form of a request path as it came on
// the wire (already percent-encoded once by the client).
//
// For every service but S3, AWS normalises the path (RFC 3986: empty and "."
// segments dropped, ".." removes the segment before it; a trailing slash
// kept) and URI-encodes it again, so each segment ends up encoded twice: a
// wire "%20" becomes "%2520" (create-signed-request.html: "Each path segment
// must be URI-encoded twice (except for Amazon S3 which only gets URI-encoded
// once)"; "Normalize URI paths according to RFC 3986").
//
// For S3 (s3 true) the path is used as sent: encoded once, not normalised
// (object keys may contain "//" and "..";
// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html).
func canonicalURI(path string, s3 bool) string {
	if path == "" {
		return "/"
	}
	if s3 {
		return path
	}
	return uriEncode(normalizePath(path), true)
}

// normalizePath removes empty, "." and ".." segments; the result starts with
// '/' and ends with one when path did (and is not just "/").
func normalizePath(path string) string {
	segs := strings.Split(path, "/")
	out := segs[:0]
	for _, s := range segs {
		switch s {
		case "", ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return "/"
	}
	n := "/" + strings.Join(out, "/")
	if strings.HasSuffix(path, "/") {
		n += "/"
	}
	return n
}

// uriEncode percent-encodes every byte outside the RFC 3986 unreserved set
// with upper-case hex, keeping '/' when keepSlash (for paths).
func uriEncode(s string, keepSlash bool) string {
	const hexUpper = "0123456789ABCDEF"
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) && (!keepSlash || s[i] != '/') {
			n++
		}
	}
	if n == 0 {
		return s
	}
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) || (keepSlash && c == '/') {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hexUpper[c>>4], hexUpper[c&15])
	}
	return string(b)
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// unescape decodes %XX escapes; anything else, including a malformed escape,
// is kept as written.
func unescape(s string) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// requestPath returns the path as the client sent it. A server request keeps
// the request line in RequestURI; r.URL.Path is decoded and would lose the
// client's exact escaping. A request built in-process (RequestURI empty) uses
// the URL's escaped path, which is what a Go client sends.
func requestPath(r *http.Request) string {
	if u := r.RequestURI; u != "" && u[0] == '/' {
		if i := strings.IndexByte(u, '?'); i >= 0 {
			u = u[:i]
		}
		return u
	}
	if r.URL == nil {
		return "/"
	}
	return r.URL.EscapedPath()
}

// headerIndex maps lower-case header names to their values in arrival order.
// Server requests have canonical keys already; building the index also
// covers hand-made requests whose map keys are in another case.
type headerIndex map[string][]string

func indexHeaders(h http.Header) headerIndex {
	idx := make(headerIndex, len(h))
	for k, vs := range h {
		lk := strings.ToLower(k)
		idx[lk] = append(idx[lk], vs...)
	}
	return idx
}

func (h headerIndex) first(name string) (string, bool) {
	vs := h[name]
	if len(vs) == 0 {
		return "", false
	}
	return vs[0], true
}

// canonicalHeaders writes "name:value\n" for each signed header, in the order
// SignedHeaders lists them (a client that signed them builds its canonical
// request in that order; AWS asks for them sorted, and SDKs sort). Names are
// lower-cased; values are trimmed, runs of spaces collapsed to one, and
// repeated headers joined with ',' (create-signed-request.html, step 1).
//
// Some headers do not live in r.Header on a Go server: host is r.Host (HTTP/2
// :authority included), Transfer-Encoding is r.TransferEncoding, and a
// Content-Length the server did not keep is r.ContentLength (the Go SDK signs
// content-length from the request's length, not from a header).
func canonicalHeaders(r *http.Request, h headerIndex, names []string) string {
	var b strings.Builder
	for _, name := range names {
		ln := strings.ToLower(name)
		b.WriteString(ln)
		b.WriteByte(':')
		for i, v := range headerValues(r, h, ln) {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(normalizeValue(v))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func headerValues(r *http.Request, h headerIndex, ln string) []string {
	switch ln {
	case "host":
		host := r.Host
		if host == "" && r.URL != nil {
			host = r.URL.Host
		}
		return []string{host}
	case "content-length":
		if vs := h[ln]; len(vs) > 0 {
			return vs
		}
		if r.ContentLength >= 0 {
			return []string{strconv.FormatInt(r.ContentLength, 10)}
		}
		return nil
	case "transfer-encoding":
		if vs := h[ln]; len(vs) > 0 {
			return vs
		}
		if len(r.TransferEncoding) > 0 {
			return []string{strings.Join(r.TransferEncoding, ",")}
		}
		return nil
	}
	return h[ln]
}

// normalizeValue trims leading and trailing whitespace and turns each run of
// spaces into one space ("Trim any leading or trailing spaces, convert
// sequential spaces to a single space", create-signed-request.html).
func normalizeValue(v string) string {
	v = strings.TrimSpace(v)
	if !strings.Contains(v, "  ") {
		return v
	}
	b := make([]byte, 0, len(v))
	for i := 0; i < len(v); i++ {
		if v[i] == ' ' && i > 0 && v[i-1] == ' ' {
			continue
		}
		b = append(b, v[i])
	}
	return string(b)
}

// canonicalRequest joins the six parts of the canonical request.
func canonicalRequest(method, uri, query, headers, signedHeaders, payloadHash string) string {
	return method + "\n" + uri + "\n" + query + "\n" + headers + "\n" + signedHeaders + "\n" + payloadHash
}

// stringToSign hashes the canonical request under the algorithm, the request
// time and the credential scope.
func stringToSign(t time.Time, scope, canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	return algorithm + "\n" + t.Format(amzDateLayout) + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
}

// signingKey derives the key for one day, region and service from the secret
// access key.
func signingKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, terminator)
}

// signature is the lower-case hex HMAC of the string to sign.
func signature(key []byte, sts string) string {
	return hex.EncodeToString(hmacSHA256(key, sts))
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// hashHex is the lower-case hex SHA-256 of b, the payload hash of a body.
func hashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
