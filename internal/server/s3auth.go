package server

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/cognate/cognate/internal/api"
	"github.com/cognate/cognate/internal/wire/awsjson"
	"github.com/cognate/cognate/internal/wire/sigv4"
)

// s3Auth guards the built-in S3. In strict mode (keys configured) a request
// reaches the bucket store only when a configured key signed it, exactly as
// the JSON APIs on the same port: without this, anyone who can reach the
// port could read or delete the user-activity logs exported to S3. In
// permissive mode every request passes, as the JSON APIs accept any
// well-formed signature.
//
// Failures answer in S3's REST form: an XML <Error> document with S3's
// codes and HTTP statuses (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html),
// not the JSON services' exceptions.
type s3Auth struct {
	verifier *sigv4.Verifier
	maxBody  int64
	next     http.Handler
}

func newS3Auth(v *sigv4.Verifier, maxBody int64, next http.Handler) http.Handler {
	if maxBody <= 0 {
		maxBody = awsjson.DefaultMaxBodyBytes
	}
	return &s3Auth{verifier: v, maxBody: maxBody, next: next}
}

func (a *s3Auth) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if a.verifier.Keys == nil {
		a.next.ServeHTTP(w, r)
		return
	}
	presigned := r.URL.Query().Get("X-Amz-Algorithm") != "" || r.URL.Query().Get("X-Amz-Signature") != ""
	given := r.Header.Get("X-Amz-Content-Sha256")
	if given == "" && !presigned {
		// S3 needs the header with every SigV4 header-authenticated
		// request ("x-amz-content-sha256 ... is required for all AWS
		// Signature Version 4 requests", sig-v4-header-based-auth.html);
		// the text is S3's as clients report it (inferred for Cognate).
		writeS3Error(w, r, http.StatusBadRequest, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256")
		return
	}

	// A hex payload hash covers the body: it is checked before anything is
	// stored. Other values (UNSIGNED-PAYLOAD, the STREAMING-* forms of
	// chunked uploads) are signed as given and need no body.
	var body []byte
	if isSHA256Hex(given) {
		var err error
		body, err = io.ReadAll(io.LimitReader(r.Body, a.maxBody+1))
		if err != nil {
			writeS3Error(w, r, http.StatusBadRequest, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.")
			return
		}
		if int64(len(body)) > a.maxBody {
			// Cognate's own bound (--max-body-bytes), as for the JSON
			// APIs; the AWS CLI sends larger files in 8 MiB parts.
			writeS3Error(w, r, http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size.")
			return
		}
		sum := sha256.Sum256(body)
		if !strings.EqualFold(given, hex.EncodeToString(sum[:])) {
			writeS3Error(w, r, http.StatusBadRequest, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.")
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
	}

	if _, err := a.verifier.Authenticate(r, body); err != nil {
		status, code, msg := s3AuthError(err, presigned)
		writeS3Error(w, r, status, code, msg)
		return
	}
	a.next.ServeHTTP(w, r)
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

// s3ErrorDoc is S3's REST error document.
type s3ErrorDoc struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string   `xml:"Code"`
	Message   string   `xml:"Message"`
	RequestID string   `xml:"RequestId"`
}

// writeS3Error answers as S3 does: the status, and for any method but HEAD
// the XML error document (a HEAD answer has no body, so clients read the
// status alone).
func writeS3Error(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	id := make([]byte, 8)
	_, _ = rand.Read(id) // crypto/rand.Read does not fail
	reqID := strings.ToUpper(hex.EncodeToString(id))
	w.Header().Set("x-amz-request-id", reqID)
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	out, _ := xml.Marshal(s3ErrorDoc{Code: code, Message: msg, RequestID: reqID}) // strings always marshal
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(out)
}

func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}
