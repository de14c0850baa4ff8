// Package sigv4 authenticates HTTP requests signed with AWS Signature
// Version 4 (SigV4), on the server side, the way AWS's JSON services (the
// "Coral" services such as Cognito user pools, DynamoDB and CloudWatch Logs)
// do before they look at the operation: it parses the Authorization header or
// the X-Amz-* query-string parameters of a presigned URL, checks their form,
// and, in strict mode, recomputes the signature with a configured secret key
// and checks the clock skew. It answers who signed the request and for which
// region and service (Identity), or an *api.Error carrying AWS's own exception
// name and message (IncompleteSignatureException, InvalidSignatureException,
// UnrecognizedClientException, MissingAuthenticationTokenException); Status
// gives the HTTP status for each. It also reads access-key files (LoadKeys,
// ParseKeys).
//
// The package knows nothing of operations: whether an unsigned request is
// acceptable (Cognito's public operations such as InitiateAuth need no
// signature) is decided by the caller from ErrMissingAuth, and so is whether
// the signing service matches the endpoint (WrongService).
//
// It imports only the standard library and internal/api.
//
// The algorithm follows AWS's public description of SigV4:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
// and the query-string form:
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
package sigv4
