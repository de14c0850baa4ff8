package server

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/builtin/s3"
	"github.com/cognate/cognate/internal/wire/awsjson"
	"github.com/cognate/cognate/internal/wire/sigv4"
)

// s3Auth guards the built-in S3. In strict mode (keys configured) a request
// reaches the bucket store only when a configured key signed it, exactly as
// the JSON APIs on the same port: without this, anyone who can reach the
// port could read or delete the user-activity logs exported to S3. In
// permissive mode any well-formed signature is taken, as the JSON APIs
// take it, for the default account. The S3 protocol then serves the
// request as the signer's account (s3.Service.ServeAs: bucket owners).
//
// Failures answer in S3's REST form: an XML <Error> document with S3's
// codes and HTTP statuses, not the JSON services' exceptions.
type s3Auth struct {
	verifier *sigv4.Verifier
	maxBody  int64
	account  string // of permissive requests and keys without one
	s3       *s3.Service
}

func newS3Auth(v *sigv4.Verifier, maxBody int64, defaultAccount string, store *s3.Service) http.Handler {
	if maxBody <= 0 {
		maxBody = awsjson.DefaultMaxBodyBytes
	}
	if defaultAccount == "" {
		defaultAccount = sigv4.DefaultAccount
	}
	return &s3Auth{verifier: v, maxBody: maxBody, account: defaultAccount, s3: store}
}

func (a *s3Auth) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if account, ok := a.authenticate(w, r); ok {
		a.s3.ServeAs(w, r, account)
	}
}

// authenticate returns the signer's account, or answers the request with
// S3's error and returns false.
func (a *s3Auth) authenticate(w http.ResponseWriter, r *http.Request) (string, bool) {
	strict := a.verifier.Keys != nil
	query := r.URL.Query()
	if query.Has("AWSAccessKeyId") && query.Has("Signature") && !query.Has("X-Amz-Algorithm") {
		if !strict {
			return a.account, true
		}
		account, status, code, msg := a.checkV2Presigned(r, query)
		if status != 0 {
			s3.WriteError(w, r, status, code, msg)
			return "", false
		}
		return account, true
	}
	presigned := query.Get("X-Amz-Algorithm") != "" || query.Get("X-Amz-Signature") != ""
	if !strict {
		// The verifier checks only the form; the body is not needed.
		id, err := a.verifier.Authenticate(r, nil)
		if err != nil {
			status, code, msg := s3AuthError(err, presigned)
			s3.WriteError(w, r, status, code, msg)
			return "", false
		}
		return id.AccountID, true
	}
	given := r.Header.Get("X-Amz-Content-Sha256")
	if given == "" && !presigned {
		// S3 needs the header with every SigV4 header-authenticated
		// request ("x-amz-content-sha256 ... is required for all AWS
		// Signature Version 4 requests", sig-v4-header-based-auth.html);
		// the text is S3's as clients report it (inferred for Cognate).
		s3.WriteError(w, r, http.StatusBadRequest, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256")
		return "", false
	}

	// A hex payload hash covers the body: it is checked before anything is
	// stored. Other values (UNSIGNED-PAYLOAD, the STREAMING-* forms of
	// chunked uploads) are signed as given and need no body.
	var body []byte
	if isSHA256Hex(given) {
		var err error
		body, err = io.ReadAll(io.LimitReader(r.Body, a.maxBody+1))
		if err != nil {
			s3.WriteError(w, r, http.StatusBadRequest, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.")
			return "", false
		}
		if int64(len(body)) > a.maxBody {
			// Cognate's own bound (--max-body-bytes), as for the JSON
			// APIs; the AWS CLI sends larger files in 8 MiB parts.
			s3.WriteError(w, r, http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size.")
			return "", false
		}
		sum := sha256.Sum256(body)
		if !strings.EqualFold(given, hex.EncodeToString(sum[:])) {
			s3.WriteError(w, r, http.StatusBadRequest, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.")
			return "", false
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
	}

	id, err := a.verifier.Authenticate(r, body)
	if err != nil {
		status, code, msg := s3AuthError(err, presigned)
		s3.WriteError(w, r, status, code, msg)
		return "", false
	}
	return id.AccountID, true
}

// s3AuthError turns the verifier's JSON-service error into S3's. The codes
// and texts are S3's as its clients see them: SignatureDoesNotMatch,
// InvalidAccessKeyId, RequestTimeTooSkewed and a presigned URL's
// "Request has expired" (ErrorResponses.html lists the codes and statuses).
// A malformed signature keeps the verifier's message under S3's
// AuthorizationHeaderMalformed or AuthorizationQueryParametersError code
// (inferred: S3's own wording for each malformation is not published).
func s3AuthError(err error, presigned bool) (status int, code, msg string) {
	var e *api.Error
	if !errors.As(err, &e) {
		return http.StatusForbidden, "AccessDenied", "Access Denied"
	}
	switch {
	case e.Code == sigv4.CodeUnrecognizedClient:
		return http.StatusForbidden, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."
	case e.Code == sigv4.CodeInvalidSignature && strings.HasPrefix(e.Message, "The request signature we calculated"):
		return http.StatusForbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method."
	case e.Code == sigv4.CodeInvalidSignature && strings.HasPrefix(e.Message, "Signature expired") && presigned:
		return http.StatusForbidden, "AccessDenied", "Request has expired"
	case e.Code == sigv4.CodeInvalidSignature &&
		(strings.HasPrefix(e.Message, "Signature expired") || strings.HasPrefix(e.Message, "Signature not yet current")):
		return http.StatusForbidden, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large."
	case presigned:
		return http.StatusBadRequest, "AuthorizationQueryParametersError", e.Message
	default:
		return http.StatusBadRequest, "AuthorizationHeaderMalformed", "The authorization header is malformed; " + e.Message
	}
}

// v2SubResources are the query parameters a Signature Version 2 string to
// sign includes in its resource, in this (sorted) order; others are left
// out (RESTAuthentication.html, "Constructing the CanonicalizedResource
// Element").
var v2SubResources = []string{
	"acl", "cors", "delete", "lifecycle", "location", "logging", "notification", "partNumber",
	"policy", "requestPayment", "response-cache-control", "response-content-disposition",
	"response-content-encoding", "response-content-language", "response-content-type",
	"response-expires", "restore", "tagging", "torrent", "uploadId", "uploads", "versionId",
	"versioning", "versions", "website",
}

// checkV2Presigned verifies a Signature Version 2 presigned URL, which the
// AWS CLI v1's `s3 presign` makes for a custom endpoint: Signature is
// Base64(HMAC-SHA1(secret, StringToSign)) with StringToSign =
// Verb \n Content-MD5 \n Content-Type \n Expires \n
// CanonicalizedAmzHeaders CanonicalizedResource (RESTAuthentication.html,
// "Query String Request Authentication Alternative"). It returns the key's
// account, or S3's error status, code and message.
func (a *s3Auth) checkV2Presigned(r *http.Request, query url.Values) (account string, status int, code, msg string) {
	key, ok := a.verifier.Keys[query.Get("AWSAccessKeyId")]
	if !ok {
		return "", http.StatusForbidden, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."
	}
	expires, err := strconv.ParseInt(query.Get("Expires"), 10, 64)
	if err != nil {
		// Inferred text: S3's answer to a malformed Expires is not published.
		return "", http.StatusForbidden, "AccessDenied", "Invalid date (should be seconds since epoch): " + query.Get("Expires")
	}
	now := time.Now()
	if a.verifier.Now != nil {
		now = a.verifier.Now()
	}
	if now.Unix() > expires {
		return "", http.StatusForbidden, "AccessDenied", "Request has expired"
	}

	var sts strings.Builder
	sts.WriteString(r.Method + "\n" + r.Header.Get("Content-MD5") + "\n" + r.Header.Get("Content-Type") + "\n" + query.Get("Expires") + "\n")
	var amz []string
	for name, values := range r.Header {
		if lower := strings.ToLower(name); strings.HasPrefix(lower, "x-amz-") {
			amz = append(amz, lower+":"+strings.Join(values, ","))
		}
	}
	slices.Sort(amz)
	for _, h := range amz {
		sts.WriteString(h + "\n")
	}
	sts.WriteString(r.URL.EscapedPath())
	sep := "?"
	for _, name := range v2SubResources {
		if !query.Has(name) {
			continue
		}
		sts.WriteString(sep + name)
		if v := query.Get(name); v != "" {
			sts.WriteString("=" + v)
		}
		sep = "&"
	}
	mac := hmac.New(sha1.New, []byte(key.SecretAccessKey))
	mac.Write([]byte(sts.String()))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(query.Get("Signature"))) {
		return "", http.StatusForbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method."
	}
	if key.AccountID != "" {
		return key.AccountID, 0, "", ""
	}
	return a.account, 0, "", ""
}

func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}
