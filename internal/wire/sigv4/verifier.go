package sigv4

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cognate/cognate/internal/api"
)

const (
	algorithm     = "AWS4-HMAC-SHA256"
	terminator    = "aws4_request"
	amzDateLayout = "20060102T150405Z" // ISO 8601 basic format, UTC
	dateLayout    = "20060102"

	// unsignedPayload is the payload hash of a presigned URL: "include
	// UNSIGNED-PAYLOAD literal string ... in the canonical request"
	// (sigv4-query-string-auth.html).
	unsignedPayload = "UNSIGNED-PAYLOAD"

	// maxExpires is the longest X-Amz-Expires: 604800 s, seven days
	// (sigv4-query-string-auth.html: "The minimum value you can set is 1,
	// and the maximum is 604800 (seven days)").
	maxExpires = 604800

	// maxAuthorizationBytes and maxSignedHeaders bound the work one request
	// can cause. Real signatures are far smaller: an SDK's Authorization
	// header is about 250 bytes and signs under ten headers.
	maxAuthorizationBytes = 8 << 10
	maxSignedHeaders      = 64
)

// DefaultAccount is the account a Verifier reports when DefaultAccountID is
// empty (design.md: "Defaults ... account 123456789012").
const DefaultAccount = "123456789012"

// DefaultMaxSkew is how far a request's time may be from the server's clock.
// AWS's JSON services allow 15 minutes, as their own messages say ("...
// (20140325T145251Z - 15 min.)" from DynamoDB, aws/aws-sdk-js#254; STS
// likewise, devsecops/bootcamp#101); some services allow 5 (Kinesis,
// aws/aws-sdk-go#2194). Cognito's window is not published; 15 is assumed.
const DefaultMaxSkew = 15 * time.Minute

// Key is one configured credential.
type Key struct {
	AccessKeyID     string
	SecretAccessKey string
	// AccountID is the 12-digit account the key belongs to; empty means the
	// Verifier's DefaultAccountID.
	AccountID string
}

// Verifier authenticates requests. Its zero value is a permissive verifier
// for account 123456789012. It is safe for concurrent use as long as its
// fields are not changed while requests are being authenticated.
type Verifier struct {
	// Keys, when non-nil, switches on strict mode: the access key must be one
	// of them (keyed by access key ID) and the signature, the clock skew and
	// a presigned URL's expiry are verified. When nil (permissive mode, the
	// default) any well-formed SigV4 Authorization header or presigned URL
	// is accepted without checking the key, the signature or the time; a
	// malformed one is still rejected, with AWS's error.
	Keys map[string]Key
	// DefaultAccountID is the account of every request in permissive mode,
	// and of keys without an AccountID in strict mode. Empty means
	// DefaultAccount.
	DefaultAccountID string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MaxSkew is the allowed difference between the request time and Now in
	// strict mode; zero or negative means DefaultMaxSkew (AWS's 15 minutes).
	MaxSkew time.Duration
}

// Identity is who signed a request and for where.
type Identity struct {
	// Signed is false when the request carried no signature.
	Signed bool
	// AccessKeyID is the key named in the credential scope.
	AccessKeyID string
	// AccountID is the key's account in strict mode and DefaultAccountID in
	// permissive mode.
	AccountID string
	// Region and Service come from the credential scope
	// (AKID/date/region/service/aws4_request), in both modes.
	Region  string
	Service string
}

// credentials is what either form of SigV4 authentication carries.
type credentials struct {
	presigned     bool
	algorithm     string
	credential    string // AKID/date/region/service/aws4_request
	signedHeaders string
	signature     string
	time          time.Time
	expires       time.Duration // presigned with X-Amz-Expires only
	hasExpires    bool
}

// Authenticate checks r, whose body has already been read into body, and
// returns the identity of its signer.
//
// A request with no Authorization header and no X-Amz-Algorithm or
// X-Amz-Signature query parameter, or with an Authorization header that is
// not SigV4 (does not start with "AWS4-"), returns Identity{Signed: false}
// and ErrMissingAuth: the caller decides per operation whether an unsigned
// request is acceptable. Every other failure returns an *api.Error whose Code
// and Message are AWS's (Status gives the HTTP status); see errors.go for the
// texts and where they come from.
//
// The checks run in the order AWS's JSON services run them (mhart/dynalite
// index.js records it from DynamoDB): header and query both present; the
// parameters and date present; the date's format; the time window; host
// signed; the algorithm; the credential's shape; the scope's region,
// terminator and date; the access key; the signature. Permissive mode skips
// the time window, host, key and signature steps.
func (v *Verifier) Authenticate(r *http.Request, body []byte) (Identity, error) {
	if r == nil {
		return Identity{}, ErrMissingAuth
	}
	h := indexHeaders(r.Header)
	var rawQuery string
	if r.URL != nil {
		rawQuery = r.URL.RawQuery
	}
	params := parseQuery(rawQuery)
	_, queryAlg := lookup(params, "X-Amz-Algorithm")
	_, querySig := lookup(params, "X-Amz-Signature")
	authz := h["authorization"]

	if len(authz) > 0 && queryAlg {
		return Identity{}, errFoundBoth()
	}
	var c credentials
	var err *api.Error
	switch {
	case len(authz) > 1:
		return Identity{}, errSeveralAuthorizationHeaders()
	case len(authz) == 1:
		if len(authz[0]) > maxAuthorizationBytes {
			return Identity{}, errAuthorizationTooLong()
		}
		if !strings.HasPrefix(strings.TrimLeft(authz[0], " \t"), "AWS4-") {
			return Identity{}, ErrMissingAuth
		}
		c, err = fromHeader(authz[0], h)
	case queryAlg || querySig:
		c, err = fromQuery(params)
	default:
		return Identity{}, ErrMissingAuth
	}
	if err != nil {
		return Identity{}, err
	}
	return v.verify(r, body, h, params, c)
}

// fromHeader reads header authentication: the Authorization header and the
// request time from X-Amz-Date, or else Date
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/signing-elements.html:
// "AWS first checks the x-amz-date header ... If AWS can't find a value for
// x-amz-date, it looks for the date header").
func fromHeader(value string, h headerIndex) (credentials, *api.Error) {
	a, err := parseAuthorization(value)
	if err != nil {
		return credentials{}, err
	}
	dateValue, _ := h.first("x-amz-date")
	amz := dateValue != ""
	if !amz {
		dateValue, _ = h.first("date")
	}
	hasDate := dateValue != ""
	if a.credential == "" || a.signature == "" || !a.hasSignedHeaders || !hasDate {
		return credentials{}, errHeaderRequires(a.credential != "", a.signature != "", a.hasSignedHeaders, hasDate, value)
	}
	t, ok := parseAmzDate(dateValue)
	if !ok && !amz {
		// The Date header is an HTTP date (RFC 7231 IMF-fixdate or its
		// obsolete forms); AWS's original test suite signs with
		// "Date:Mon, 09 Sep 2011 23:36:00 GMT".
		if ht, herr := http.ParseTime(dateValue); herr == nil {
			t, ok = ht.UTC(), true
		}
	}
	if !ok {
		return credentials{}, errDateFormat(dateValue)
	}
	return credentials{
		algorithm:     a.algorithm,
		credential:    a.credential,
		signedHeaders: a.signedHeaders,
		signature:     a.signature,
		time:          t,
	}, nil
}

// authorization is a parsed Authorization header.
type authorization struct {
	algorithm        string
	credential       string
	signedHeaders    string
	hasSignedHeaders bool // "SignedHeaders=" with an empty list counts as given
	signature        string
}

// parseAuthorization parses "AWS4-HMAC-SHA256 Credential=AKID/20240101/
// us-west-2/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date,
// Signature=<hex>". The algorithm is the first word; the rest splits at
// commas and whitespace into key=value elements, each of which must contain
// '=' (that is how AWS reports "Credential= AKID/..." with a stray space,
// see errMissingEqualSign). Unknown keys are ignored; the first of a repeated
// key wins. The only error is the missing equal-sign one; whether the
// required parameters are there is the caller's check, because AWS lists
// them together with a missing date.
func parseAuthorization(value string) (authorization, *api.Error) {
	var a authorization
	rest := strings.TrimLeft(value, " \t")
	if i := strings.IndexAny(rest, " \t"); i >= 0 {
		a.algorithm, rest = rest[:i], rest[i:]
	} else {
		a.algorithm, rest = rest, ""
	}
	var seenCredential, seenSignature bool
	for _, el := range strings.FieldsFunc(rest, func(c rune) bool { return c == ',' || c == ' ' || c == '\t' }) {
		k, val, ok := strings.Cut(el, "=")
		if !ok {
			return authorization{}, errMissingEqualSign(el, value)
		}
		switch k {
		case "Credential":
			if !seenCredential {
				a.credential, seenCredential = val, true
			}
		case "SignedHeaders":
			if !a.hasSignedHeaders {
				a.signedHeaders, a.hasSignedHeaders = val, true
			}
		case "Signature":
			if !seenSignature {
				a.signature, seenSignature = val, true
			}
		}
	}
	return a, nil
}

// queryAuthParams are the query-string authentication parameters AWS
// requires, in the order it lists the missing ones (mhart/dynalite).
var queryAuthParams = [...]string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date"}

// fromQuery reads query-string (presigned URL) authentication.
func fromQuery(params []param) (credentials, *api.Error) {
	var vals [len(queryAuthParams)]string
	var missing []string
	for i, name := range queryAuthParams {
		vals[i], _ = lookup(params, name)
		if vals[i] == "" {
			missing = append(missing, name)
		} else if len(vals[i]) > maxAuthorizationBytes {
			return credentials{}, errQueryParamTooLong(name)
		}
	}
	if len(missing) > 0 {
		return credentials{}, errQueryRequires(missing)
	}
	c := credentials{
		presigned:     true,
		algorithm:     vals[0],
		credential:    vals[1],
		signature:     vals[2],
		signedHeaders: vals[3],
	}
	t, ok := parseAmzDate(vals[4])
	if !ok {
		return credentials{}, errDateFormat(vals[4])
	}
	c.time = t
	// X-Amz-Expires is optional: the SDKs add it for S3 only, and STS
	// ignores it (aws/aws-sdk-go#2167); without it the usual skew window
	// applies.
	if s, ok := lookup(params, "X-Amz-Expires"); ok {
		n, err := strconv.ParseInt(s, 10, 64)
		switch {
		case err != nil:
			return credentials{}, errExpiresNumber()
		case n < 0:
			return credentials{}, errExpiresNegative()
		case n > maxExpires:
			return credentials{}, errExpiresTooLarge()
		}
		c.expires, c.hasExpires = time.Duration(n)*time.Second, true
	}
	return c, nil
}

// parseAmzDate parses ISO 8601 basic format, exactly: Go's time.Parse would
// also take a fractional second ("20240101T000000.5Z"), which the client
// would then have signed in a form we cannot rebuild.
func parseAmzDate(s string) (time.Time, bool) {
	if len(s) != len(amzDateLayout) {
		return time.Time{}, false
	}
	t, err := time.Parse(amzDateLayout, s)
	if err != nil || t.Format(amzDateLayout) != s {
		return time.Time{}, false
	}
	return t, true
}

// verify runs the checks common to both forms.
func (v *Verifier) verify(r *http.Request, body []byte, h headerIndex, params []param, c credentials) (Identity, error) {
	strict := v.Keys != nil
	if strings.Count(c.signedHeaders, ";") >= maxSignedHeaders {
		return Identity{}, errTooManySignedHeaders()
	}
	names := strings.Split(c.signedHeaders, ";")

	if strict {
		if err := v.checkTime(c); err != nil {
			return Identity{}, err
		}
		if !signsHost(names) {
			return Identity{}, errHostNotSigned()
		}
	}
	if c.algorithm != algorithm {
		return Identity{}, errAlgorithm(c.algorithm)
	}

	// "Trailing slashes are ignored" (mhart/dynalite, from DynamoDB).
	scope := strings.Split(strings.TrimRight(c.credential, "/"), "/")
	if len(scope) != 5 {
		return Identity{}, errCredentialElements(c.credential)
	}
	akid, scopeDate, region, service, term := scope[0], scope[1], scope[2], scope[3], scope[4]
	var msg strings.Builder
	if !validRegion(region) {
		msg.WriteString(scopeRegionPiece(region))
	}
	if term != terminator {
		msg.WriteString(scopeTerminatorPiece(term))
	}
	if scopeDate != c.time.Format(dateLayout) {
		msg.WriteString(scopeDatePiece(scopeDate, c.time))
	}
	if msg.Len() > 0 {
		return Identity{}, invalidSignature(msg.String())
	}

	id := Identity{Signed: true, AccessKeyID: akid, AccountID: v.defaultAccount(), Region: region, Service: service}
	if !strict {
		return id, nil
	}

	key, ok := v.Keys[akid]
	if !ok {
		return Identity{}, errUnrecognizedClient()
	}
	if key.AccountID != "" {
		id.AccountID = key.AccountID
	}
	// X-Amz-Security-Token (session credentials) is signed like any header
	// or parameter; Cognate issues no session tokens, so any is accepted.

	method := r.Method
	if method == "" {
		method = http.MethodGet // what net/http sends for an empty Method
	}
	s3 := service == "s3"
	uri := canonicalURI(requestPath(r), s3)
	headers := canonicalHeaders(r, h, names)
	sk := signingKey(key.SecretAccessKey, scopeDate, region, service)
	scopeStr := scopeDate + "/" + region + "/" + service + "/" + terminator

	var query string
	if c.presigned {
		query = canonicalQuery(params, "X-Amz-Signature")
	} else {
		query = canonicalQuery(params, "")
	}
	for _, ph := range payloadHashes(h, params, body, c.presigned, s3) {
		canonical := canonicalRequest(method, uri, query, headers, c.signedHeaders, ph)
		want := signature(sk, stringToSign(c.time, scopeStr, canonical))
		if subtle.ConstantTimeCompare([]byte(want), []byte(c.signature)) == 1 {
			return id, nil
		}
	}
	return Identity{}, errSignatureMismatch()
}

// payloadHashes lists the payload hashes a correct client may have signed
// with; the signature must match one of them.
//
//   - X-Amz-Content-Sha256 (header, or for a presigned URL also the query
//     parameter) is what the client says it signed, and is used as given,
//     except that a hex hash that is not the body's hash matches nothing:
//     the signature would not cover the body that arrived.
//   - Header authentication otherwise signs sha256(body).
//   - A presigned URL otherwise signs UNSIGNED-PAYLOAD for S3
//     (sigv4-query-string-auth.html); the JSON services were seen expecting
//     the body's hash instead (STS, boto/boto3#756: the canonical request
//     ends with e3b0c442..., the hash of the empty body), so both are
//     accepted there.
func payloadHashes(h headerIndex, params []param, body []byte, presigned, s3 bool) []string {
	given, ok := h.first("x-amz-content-sha256")
	if !ok && presigned {
		given, ok = lookup(params, "X-Amz-Content-Sha256")
	}
	if ok {
		if isHexHash(given) && !strings.EqualFold(given, hashHex(body)) {
			return nil
		}
		return []string{given}
	}
	switch {
	case !presigned:
		return []string{hashHex(body)}
	case s3:
		return []string{unsignedPayload}
	default:
		return []string{hashHex(body), unsignedPayload}
	}
}

func isHexHash(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}

// checkTime enforces the time window in strict mode. A request may not be
// dated more than MaxSkew ahead of the clock. It expires MaxSkew after its
// date, or, for a presigned URL with X-Amz-Expires, that many seconds after
// it (S3's rule; the Coral services ignore X-Amz-Expires, so for them a
// presigned URL lives as long as the skew window, aws/aws-sdk-go#2167).
func (v *Verifier) checkTime(c credentials) *api.Error {
	now := time.Now()
	if v.Now != nil {
		now = v.Now()
	}
	now = now.UTC().Truncate(time.Second)
	skew := v.MaxSkew
	if skew <= 0 {
		skew = DefaultMaxSkew
	}
	if c.time.After(now.Add(skew)) {
		return errNotYetCurrent(c.time, now, skew)
	}
	window := skew
	if c.hasExpires {
		// The expiry message for X-Amz-Expires reuses AWS's skew sentence
		// with the URL's own window (inferred).
		window = c.expires
	}
	if c.time.Before(now.Add(-window)) {
		return errExpired(c.time, now, window)
	}
	return nil
}

// signsHost reports whether SignedHeaders includes host (or HTTP/2's
// :authority); without it a signature could be replayed against another
// endpoint, and AWS refuses it (errHostNotSigned).
func signsHost(names []string) bool {
	for _, n := range names {
		if strings.EqualFold(n, "host") || n == ":authority" {
			return true
		}
	}
	return false
}

// validRegion accepts what a region name can be: lower-case letters, digits
// and '-', at most 64 bytes ("us-west-2", "us-gov-west-1", "local"). The
// region goes into pool IDs and ARNs, so it must be well-formed.
func validRegion(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func (v *Verifier) defaultAccount() string {
	if v.DefaultAccountID != "" {
		return v.DefaultAccountID
	}
	return DefaultAccount
}
