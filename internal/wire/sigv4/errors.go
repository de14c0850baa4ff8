package sigv4

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cognate/cognate/internal/api"
)

// The exception names this package answers with. AWS's Coral services send
// them as "com.amazon.coral.service#<Code>"; clients cut the prefix at '#'
// (spec/log-delivery.md §1), so the bare name is sent.
const (
	CodeMissingAuthenticationToken = "MissingAuthenticationTokenException"
	CodeIncompleteSignature        = "IncompleteSignatureException"
	CodeInvalidSignature           = "InvalidSignatureException"
	CodeUnrecognizedClient         = "UnrecognizedClientException"
)

// Status returns the HTTP status AWS's JSON services send with code, for the
// four codes of this package, and 0 for any other code (so a caller can tell
// "not an authentication error" apart).
//
// All four are 400 Bad Request:
//   - IncompleteSignatureException: 400 seen from a Coral JSON service
//     (iann0036/cloud9-sync#10, "statusCode: 400").
//   - InvalidSignatureException: 400 seen for "Signature expired"
//     (aws/aws-sdk-js#254, "statusCode":400) and "Signature not yet current"
//     (aws/aws-sdk-go#2194, "status code: 400").
//   - UnrecognizedClientException: 400 seen from Cognito's AdminInitiateAuth
//     (ArranJacques/laravel-aws-cognito-auth#25, "400 Bad Request").
//   - MissingAuthenticationTokenException: 400 as DynamoDB sends it
//     (mhart/dynalite index.js, recorded from the live service); Cognito's
//     status for it is not published, 400 is inferred (spec §1; some REST
//     services such as API Gateway send 403).
//
// REST services (Glacier, API Gateway) answer some of these with 403; the
// JSON services Cognate speaks for do not.
func Status(code string) int {
	switch code {
	case CodeMissingAuthenticationToken, CodeIncompleteSignature, CodeInvalidSignature, CodeUnrecognizedClient:
		return http.StatusBadRequest
	}
	return 0
}

// ErrMissingAuth is returned by Authenticate for a request that carries no
// signature at all: no Authorization header and no X-Amz-Algorithm or
// X-Amz-Signature query parameter, or an Authorization header that is not a
// SigV4 one (it does not start with "AWS4-"). The caller decides per
// operation whether that is acceptable; for an operation that needs IAM
// credentials it sends this error as it is.
//
// Its text is what Cognito answers for an IAM-authorised operation sent
// without a signature: "Missing Authentication Token" (aws/aws-sdk-net-
// extensions-cognito#95, aws/aws-aspnet-cognito-identity-provider#66; the AWS
// troubleshooting page "Troubleshoot Signature Version 4 signing" names the
// same text). That a non-"AWS4-" Authorization header gets the same answer is
// how DynamoDB behaves (mhart/dynalite index.js, recorded from the live
// service); for Cognito it is inferred.
//
// errors.Is(err, ErrMissingAuth) holds for any *api.Error with this code, as
// api.Error compares codes. Do not modify it.
var ErrMissingAuth = &api.Error{Code: CodeMissingAuthenticationToken, Message: "Missing Authentication Token"}

// WrongService is the error AWS answers when the credential scope names
// another service than the endpoint's, e.g. a request to Cognito signed for
// "logs". Authenticate does not check the service (one Cognate port serves
// several APIs); the caller compares Identity.Service with the service it
// serves and sends this error when they differ.
//
// Text: "Credential should be scoped to correct service: 'dynamodb'. " with a
// trailing space, seen from DynamoDB (arnemolland/sigv4#15, with
// com.amazon.coral.service#InvalidSignatureException).
func WrongService(want string) *api.Error {
	return invalidSignature("Credential should be scoped to correct service: '" + want + "'. ")
}

func incomplete(msg string) *api.Error {
	return &api.Error{Code: CodeIncompleteSignature, Message: msg}
}

func invalidSignature(msg string) *api.Error {
	return &api.Error{Code: CodeInvalidSignature, Message: msg}
}

// errSignatureMismatch: the text Cognito answers for a wrong signature
// (aws/aws-sdk-js#1985; also stoplightio/desktop#217 for API Gateway).
// DynamoDB and STS add "\n\nThe Canonical String for this request should have
// been ..." (boto/boto3#756); Cognito's observed text does not, and leaving it
// out keeps the expected canonical request from leaking to whoever holds a
// wrong key.
func errSignatureMismatch() *api.Error {
	return invalidSignature("The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
}

// errUnrecognizedClient: an access key Cognate does not know, in strict mode.
// Text and code seen from Cognito (ArranJacques/laravel-aws-cognito-auth#25).
func errUnrecognizedClient() *api.Error {
	return &api.Error{Code: CodeUnrecognizedClient, Message: "The security token included in the request is invalid."}
}

// errFoundBoth: a request with both header and query-string authentication.
// Text and code from DynamoDB (mhart/dynalite index.js, recorded from the live
// service); for Cognito inferred.
func errFoundBoth() *api.Error {
	return invalidSignature("Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.")
}

// errMissingEqualSign: an Authorization header element without '='. The
// element and the whole header are quoted; AWS splits the parameters at
// commas and whitespace, which is why "Credential= AKID/..." reports
// 'AKID/...' (iann0036/cloud9-sync#10, awslabs/fhir-works-on-aws-deployment#379,
// aws/aws-sdk-go#289).
func errMissingEqualSign(element, header string) *api.Error {
	return incomplete("'" + clip(element) + "' not a valid key=value pair (missing equal-sign) in Authorization header: '" + header + "'.")
}

// errHeaderRequires builds AWS's list of what an Authorization header lacks,
// followed by "Authorization=<header>": "Authorization header requires
// 'Credential' parameter. Authorization header requires 'Signature'
// parameter. Authorization header requires 'SignedHeaders' parameter.
// Authorization header requires existence of either a 'X-Amz-Date' or a
// 'Date' header. Authorization=..." (aws/chalice#828,
// bKash-developer/webhook-endpoint-php#3, brendanhay/amazonka#316 for a
// partial list, nordcloud/cognitocurl#15).
func errHeaderRequires(credential, signature, signedHeaders, date bool, header string) *api.Error {
	var b strings.Builder
	if !credential {
		b.WriteString("Authorization header requires 'Credential' parameter. ")
	}
	if !signature {
		b.WriteString("Authorization header requires 'Signature' parameter. ")
	}
	if !signedHeaders {
		b.WriteString("Authorization header requires 'SignedHeaders' parameter. ")
	}
	if !date {
		b.WriteString("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ")
	}
	b.WriteString("Authorization=")
	b.WriteString(header)
	return incomplete(b.String())
}

// errQueryRequires lists the missing query-string authentication parameters:
// "AWS query-string parameters must include 'X-Amz-Algorithm'. ...
// Re-examine the query-string parameters." Text and code from DynamoDB
// (mhart/dynalite index.js and its tests, recorded from the live service).
func errQueryRequires(missing []string) *api.Error {
	var b strings.Builder
	for _, m := range missing {
		b.WriteString("AWS query-string parameters must include '")
		b.WriteString(m)
		b.WriteString("'. ")
	}
	b.WriteString("Re-examine the query-string parameters.")
	return incomplete(b.String())
}

// errDateFormat: a date that is not ISO 8601 basic format. Text and code from
// DynamoDB (mhart/dynalite index.js: "Date must be in ISO-8601 'basic
// format'. Got '201'. See http://en.wikipedia.org/wiki/ISO_8601"). Using it
// for an unreadable Date header too is inferred.
func errDateFormat(got string) *api.Error {
	return incomplete("Date must be in ISO-8601 'basic format'. Got '" + clip(got) + "'. See http://en.wikipedia.org/wiki/ISO_8601")
}

// errAlgorithm: an "AWS4-..." algorithm other than AWS4-HMAC-SHA256 (e.g.
// SigV4a's AWS4-ECDSA-P256-SHA256). Text, with its trailing space, and code
// from DynamoDB (mhart/dynalite index.js: "Unsupported AWS 'algorithm':
// 'AWS4-HMAC-SHA25' (only AWS4-HMAC-SHA256 for now). ").
func errAlgorithm(got string) *api.Error {
	return incomplete("Unsupported AWS 'algorithm': '" + clip(got) + "' (only AWS4-HMAC-SHA256 for now). ")
}

// errCredentialElements: a Credential that is not
// keyid/date/region/service/term. Text and code from DynamoDB
// (mhart/dynalite index.js) and Elasticsearch (mhart/aws4#97).
func errCredentialElements(got string) *api.Error {
	return incomplete("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '" + clip(got) + "'")
}

// Pieces of AWS's credential-scope message; AWS joins all that apply, in this
// order, into one InvalidSignatureException (mhart/dynalite index.js, from
// the live service: "Credential should be scoped to a valid region, not 'c'.
// Credential should be scoped to correct service: 'dynamodb'. Credential
// should be scoped with a valid terminator: 'aws4_request', not 'e'. Date in
// Credential scope does not match YYYYMMDD from ISO-8601 version of date from
// HTTP: 'b' != '20130609', from '20130609T095204Z'.").
//
//   - region: "Credential should be scoped to a valid region, not 'us-east-1'. "
//     with a trailing space (aws/aws-sdk-ruby#508, aws/aws-sdk-js#792). AWS
//     says it for a region the endpoint does not serve; Cognate serves every
//     region, so it says it only for a region that is not well-formed
//     (inferred use).
//   - terminator: as above (dynalite).
//   - date: the AWS troubleshooting page "Troubleshoot Signature Version 4
//     signing" gives the sentence; the quoted values come from dynalite. That
//     this piece ends without a trailing space is how dynalite recorded it.
func scopeRegionPiece(region string) string {
	return "Credential should be scoped to a valid region, not '" + clip(region) + "'. "
}

func scopeTerminatorPiece(term string) string {
	return "Credential should be scoped with a valid terminator: 'aws4_request', not '" + clip(term) + "'. "
}

func scopeDatePiece(scopeDate string, t time.Time) string {
	return "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
		clip(scopeDate) + "' != '" + t.Format(dateLayout) + "', from '" + t.Format(amzDateLayout) + "'."
}

// errExpired and errNotYetCurrent: a request time outside the allowed window.
// "Signature expired: 20140325T143453Z is now earlier than 20140325T143751Z
// (20140325T145251Z - 15 min.)" (aws/aws-sdk-js#254) and "Signature not yet
// current: 20181017T093750Z is still later than 20181017T093639Z
// (20181017T093139Z + 5 min.)" (s12v/awsbeats#48); the AWS troubleshooting
// page "Troubleshoot Signature Version 4 signing" gives both sentences. The
// second time is now ∓ the window, the third is now.
func errExpired(t, now time.Time, window time.Duration) *api.Error {
	return invalidSignature(fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - %s min.)",
		t.Format(amzDateLayout), now.Add(-window).Format(amzDateLayout), now.Format(amzDateLayout), minutes(window)))
}

func errNotYetCurrent(t, now time.Time, window time.Duration) *api.Error {
	return invalidSignature(fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + %s min.)",
		t.Format(amzDateLayout), now.Add(window).Format(amzDateLayout), now.Format(amzDateLayout), minutes(window)))
}

// minutes prints a window as AWS does ("15"), with a fraction when it is not
// a whole number of minutes (X-Amz-Expires=90 gives "1.5"; inferred).
func minutes(d time.Duration) string {
	return strconv.FormatFloat(d.Minutes(), 'f', -1, 64)
}

// X-Amz-Expires checks. The texts are Amazon S3's (its code is
// AuthorizationQueryParametersError), as S3-compatible servers that copy them
// agree (minio cmd/api-errors.go, OpenStack Swift s3api, s3rver); Coral
// services are not documented to read X-Amz-Expires at all (STS ignores it,
// aws/aws-sdk-go#2167). Using them with IncompleteSignatureException is
// inferred.
func errExpiresNumber() *api.Error { return incomplete("X-Amz-Expires should be a number") }

func errExpiresNegative() *api.Error { return incomplete("X-Amz-Expires must be non-negative") }

func errExpiresTooLarge() *api.Error {
	return incomplete("X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds")
}

// errHostNotSigned: SignedHeaders without host. Newer text "'Host' or
// ':authority' must be a 'SignedHeader' in the AWS Authorization."
// (aws/aws-sdk-php#2469, opensearch-project/opensearch-php#248); older
// "'Host' must be ..." (NetSPI/AWSSigner#3, mhart/dynalite). The code is
// InvalidSignatureException per dynalite.
func errHostNotSigned() *api.Error {
	return invalidSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
}

// Limits of this emulator, not AWS's; the texts are Cognate's own (inferred
// code: a request that cannot be a proper signature is "incomplete").
func errAuthorizationTooLong() *api.Error {
	return incomplete(fmt.Sprintf("Authorization header is longer than %d bytes.", maxAuthorizationBytes))
}

func errQueryParamTooLong(name string) *api.Error {
	return incomplete(fmt.Sprintf("AWS query-string parameter '%s' is longer than %d bytes.", name, maxAuthorizationBytes))
}

func errTooManySignedHeaders() *api.Error {
	return incomplete(fmt.Sprintf("SignedHeaders lists more than %d headers.", maxSignedHeaders))
}

func errSeveralAuthorizationHeaders() *api.Error {
	return incomplete("Request has more than one 'Authorization' header.")
}

// clip bounds what an error message echoes back: a hostile request may send
// megabytes in one query parameter or header.
func clip(s string) string {
	if len(s) > maxAuthorizationBytes {
		return s[:maxAuthorizationBytes] + "..."
	}
	return s
}
