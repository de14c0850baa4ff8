package awsclient

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/logging"

	"github.com/cognate/cognate/internal/cli/clierr"
	"github.com/cognate/cognate/internal/cli/py"
	"github.com/cognate/cognate/internal/cli/value"
	"github.com/cognate/cognate/internal/model"
)

// Response is one successful answer.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
	// RequestID is the x-amzn-RequestId header.
	RequestID string
	// RetryAttempts is the number of retries it took.
	RetryAttempts int
}

// Call sends one AWS JSON 1.1 request for op (POST to the endpoint,
// X-Amz-Target <targetPrefix>.<Op>, Content-Type
// application/x-amz-json-1.1) with body, signed with SigV4 for the model's
// signing name unless op is NoAuth or --no-sign-request was given, retried
// as the CLI's standard mode does, and returns the response body.
//
// A service error (HTTP status >= 300) is a *clierr.Error of Kind Service
// with Code (the __type after its last '#' and before any ':'; the HTTP
// status for a body without one), Message (message or Message; a non-JSON
// body is the message), Operation, Details (the error shape's other
// modelled members, e.g. reasonCode) and Err a *ServiceError that says
// whether the attempts ran out (see ClientErrorText). A failure to get a
// response is Kind Other with botocore's text ("Could not connect to the
// endpoint URL: \"…\"", "Read timeout on endpoint URL: \"…\"", ...);
// missing credentials are Kind Config, Code "NoCredentials".
func (c *Client) Call(ctx context.Context, op *model.Operation, body []byte) ([]byte, error) {
	r, err := c.Do(ctx, op, body)
	if err != nil {
		return nil, err
	}
	return r.Body, nil
}

// signLog captures the SDK signer's log line: its arguments are the
// canonical request and the string to sign.
type signLog struct{ canonical, stringToSign string }

func (s *signLog) Logf(_ logging.Classification, _ string, v ...any) {
	if len(v) >= 2 {
		s.canonical, _ = v[0].(string)
		s.stringToSign, _ = v[1].(string)
	}
}

// header is one request header in the order botocore adds them.
type header struct{ name, value string }

// Do is Call returning the whole response.
func (c *Client) Do(ctx context.Context, op *model.Operation, body []byte) (*Response, error) {
	md := c.model.Metadata
	signed := !op.NoAuth && !c.cfg.NoSignRequest
	var creds aws.Credentials
	if signed {
		var err error
		if creds, err = c.retrieveCredentials(ctx); err != nil {
			return nil, err
		}
	}
	ua := c.cfg.UserAgent
	if ua == "" {
		ua = DefaultUserAgent
	}
	base := []header{
		{"X-Amz-Target", md.TargetPrefix + "." + op.Name},
		{"Content-Type", "application/x-amz-json-" + md.JSONVersion},
		{"User-Agent", ua},
	}
	if c.log.Enabled() {
		c.log.Debug("botocore.endpoint", "Making request for OperationModel(name=%s) with params: {'url_path': '/', 'query_string': '', 'method': 'POST', 'headers': %s, 'body': %s, 'url': %s, 'context': {'client_region': %s, 'has_streaming_input': False, 'auth_type': %s}}",
			op.Name, headersRepr(base, false), py.BytesRepr(body), py.StrRepr(c.url), py.StrRepr(c.region), authTypeRepr(op))
	}
	u, err := url.Parse(c.url)
	if err != nil {
		return nil, &clierr.Error{Kind: clierr.Other, Message: fmt.Sprintf("An HTTP Client raised an unhandled exception: %v", err), Err: err}
	}
	u.Host = strings.ToLower(u.Host)
	payloadHash := sha256.Sum256(body)
	invocationID := c.newID()
	ttl, haveMax := "", false
	quotaHeld := 0

	for attempt := 1; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
		if err != nil {
			return nil, &clierr.Error{Kind: clierr.Other, Message: err.Error(), Err: err}
		}
		hdrs := append([]header(nil), base...)
		for _, h := range base {
			req.Header[h.name] = []string{h.value}
		}
		if signed {
			if err := c.sign(ctx, req, creds, hex.EncodeToString(payloadHash[:])); err != nil {
				return nil, &clierr.Error{Kind: clierr.Other, Message: err.Error(), Err: err}
			}
			hdrs = append(hdrs, header{"X-Amz-Date", req.Header.Get("X-Amz-Date")})
			if creds.SessionToken != "" {
				hdrs = append(hdrs, header{"X-Amz-Security-Token", creds.SessionToken})
			}
			hdrs = append(hdrs, header{"Authorization", req.Header.Get("Authorization")})
		}
		// handlers.add_retry_headers, after signing (not signed).
		sdkReq := []string{}
		if ttl != "" {
			sdkReq = append(sdkReq, "ttl="+ttl)
		}
		sdkReq = append(sdkReq, "attempt="+strconv.Itoa(attempt))
		if haveMax {
			sdkReq = append(sdkReq, "max="+strconv.Itoa(c.maxAttempts))
		}
		hdrs = append(hdrs, header{"amz-sdk-invocation-id", invocationID}, header{"amz-sdk-request", strings.Join(sdkReq, "; ")})
		req.Header.Set("amz-sdk-invocation-id", invocationID)
		req.Header.Set("amz-sdk-request", strings.Join(sdkReq, "; "))
		req.Header.Set("Accept-Encoding", "identity")
		if c.log.Enabled() {
			c.log.Debug("botocore.endpoint", "Sending http request: <AWSPreparedRequest stream_output=False, method=POST, url=%s, headers=%s>",
				c.url, headersRepr(append(hdrs, header{"Content-Length", strconv.Itoa(len(body))}), true))
		}

		resp, respBody, sendErr := c.send(req)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		status, code := 0, ""
		var perr parsedError
		if sendErr == nil {
			status = resp.StatusCode
			c.logResponse(req, resp, respBody)
			if status >= 300 {
				perr = parseErrorResponse(status, resp.Header, respBody)
				if perr.crash != "" {
					c.log.Debug("botocore.endpoint", "Exception received when sending HTTP request.")
					return nil, &clierr.Error{Kind: clierr.Other, Message: perr.crash}
				}
				code = perr.code
			}
		} else {
			c.log.Debug("botocore.endpoint", "Exception received when sending HTTP request.")
		}

		// needs-retry (RetryHandler.needs_retry): the attempt check comes
		// first and marks MaxAttemptsReached even for a response that
		// would not be retried.
		haveMax = true
		underMax := attempt < c.maxAttempts
		if !underMax {
			c.log.Debug("botocore.retries.standard", "Max attempts of %d reached.", c.maxAttempts)
		}
		retry := false
		if underMax && retryableResponse(status, code, sendErr) {
			cost := quotaRetryCost
			if sendErr != nil && sendErr.timeout() {
				cost = quotaTimeoutCost
			}
			if c.quota.acquire(cost) {
				quotaHeld = cost
				retry = true
			} else {
				c.log.Debug("botocore.retries.standard", "Retry needed but retry quota reached, not retrying request.")
			}
		} else {
			c.log.Debug("botocore.retries.standard", "Not retrying request.")
		}

		if !retry {
			switch {
			case sendErr != nil:
				return nil, &clierr.Error{Kind: clierr.Other, Message: sendErr.Error(), Err: sendErr}
			case status >= 300:
				return nil, c.serviceError(op, resp, respBody, perr, attempt-1, !underMax)
			}
			// after-call: give back quota.
			if quotaHeld > 0 {
				c.quota.release(quotaHeld)
			} else {
				c.quota.release(quotaNoRetryAward)
			}
			return &Response{StatusCode: status, Header: resp.Header, Body: respBody,
				RequestID: resp.Header.Get("x-amzn-RequestId"), RetryAttempts: attempt - 1}, nil
		}

		delay := backoff(c.random, attempt)
		secs := value.PyFloat(delay.Seconds())
		c.log.Debug("botocore.retries.standard", "Retry needed, retrying request after delay of: %s", secs)
		c.log.Debug("botocore.endpoint", "Response received to retry, sleeping for %s seconds", secs)
		if sendErr == nil {
			ttl = c.ttl(resp)
		}
		if err := c.sleep(ctx, delay); err != nil {
			return nil, err
		}
	}
}

func authTypeRepr(op *model.Operation) string {
	if op.NoAuth {
		return "'none'"
	}
	return "None"
}

// headersRepr is the dict repr of request headers; with bytesValues the
// values are bytes, as after botocore's Endpoint._encode_headers, except
// Content-Length, which AWSRequest.prepare adds as a str.
func headersRepr(hs []header, bytesValues bool) string {
	parts := make([]string, len(hs))
	for i, h := range hs {
		v := py.StrRepr(h.value)
		if bytesValues && h.name != "Content-Length" {
			v = py.BytesRepr([]byte(h.value))
		}
		parts[i] = py.StrRepr(h.name) + ": " + v
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// ttl is Endpoint._calculate_ttl: the local time plus the read timeout
// plus the clock skew the Date header shows; none without a read timeout.
func (c *Client) ttl(resp *http.Response) string {
	date := resp.Header.Get("Date")
	if date == "" || c.readTimeout == 0 {
		return ""
	}
	server, err := time.Parse(time.RFC1123, date)
	if err != nil {
		return ""
	}
	now := c.now().UTC()
	skew := server.Sub(now)
	return now.Add(c.readTimeout).Add(skew).Format("20060102T150405Z")
}

// sign adds X-Amz-Date, X-Amz-Security-Token and Authorization. The
// signed headers are those botocore signs (content-type, host, x-amz-date,
// x-amz-target, x-amz-security-token): Content-Length is set only after
// signing, as in botocore's AWSRequest.prepare().
func (c *Client) sign(ctx context.Context, req *http.Request, creds aws.Credentials, payloadHash string) error {
	capture := &signLog{}
	signer := v4.NewSigner(func(o *v4.SignerOptions) {
		o.Logger = capture
		o.LogSigning = true
	})
	contentLength := req.ContentLength
	req.ContentLength = 0
	err := signer.SignHTTP(ctx, creds, req, payloadHash, c.model.Metadata.SigningName, c.region, c.now().UTC())
	req.ContentLength = contentLength
	if err != nil {
		return err
	}
	if c.log.Enabled() {
		c.log.Debug("botocore.auth", "Calculating signature using v4 auth.")
		c.log.Debug("botocore.auth", "CanonicalRequest:\n%s", capture.canonical)
		c.log.Debug("botocore.auth", "StringToSign:\n%s", capture.stringToSign)
		auth := req.Header.Get("Authorization")
		sig := auth[strings.LastIndex(auth, "Signature=")+len("Signature="):]
		c.log.Debug("botocore.auth", "Signature:\n%s", sig)
	}
	return nil
}

// send makes one attempt and reads the whole body.
func (c *Client) send(req *http.Request) (*http.Response, []byte, *sendError) {
	proxy := ""
	if p, err := http.ProxyFromEnvironment(req); err == nil && p != nil {
		proxy = maskProxyURL(p)
	}
	reqURL := req.URL.String()
	if req.URL.Scheme == "https" && c.caErr != nil {
		return nil, nil, &sendError{kind: errSSL, url: reqURL, err: c.caErr}
	}
	resp, err := c.httpClient.Do(req)
	if err != nil {
		if req.Context().Err() != nil {
			return nil, nil, &sendError{kind: errHTTPClient, url: reqURL, err: req.Context().Err()}
		}
		return nil, nil, classifySendError(err, reqURL, proxy)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		se := classifySendError(err, reqURL, "")
		if se.kind == errHTTPClient || se.kind == errEndpointConnection {
			se.kind = errConnectionClosed
		}
		return nil, nil, se
	}
	return resp, body, nil
}

// maskProxyURL is botocore.httpsession.mask_proxy_url: the password is
// replaced by "***".
func maskProxyURL(u *url.URL) string {
	if u.User == nil {
		return u.String()
	}
	cp := *u
	if _, ok := u.User.Password(); ok {
		cp.User = url.UserPassword(u.User.Username(), "***")
	}
	return cp.String()
}

// logResponse writes urllib3's request line and botocore.parsers'
// response headers and body.
func (c *Client) logResponse(req *http.Request, resp *http.Response, body []byte) {
	if !c.log.Enabled() {
		return
	}
	port := req.URL.Port()
	if port == "" {
		port = "443"
		if req.URL.Scheme == "http" {
			port = "80"
		}
	}
	c.log.Debug("urllib3.connectionpool", "%s://%s:%s \"POST %s HTTP/1.1\" %d %d", req.URL.Scheme, req.URL.Hostname(), port, req.URL.RequestURI(), resp.StatusCode, len(body))
	keys := make([]string, 0, len(resp.Header))
	for k := range resp.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	c.log.Debug("botocore.parsers", "Response headers: %s", pyHeadersRepr(keys, func(k string) string { return strings.Join(resp.Header[k], ", ") }))
	c.log.Debug("botocore.parsers", "Response body:\n%s", py.BytesRepr(body))
}

// serviceError builds the CLI's error for an error response.
func (c *Client) serviceError(op *model.Operation, resp *http.Response, body []byte, pe parsedError, retries int, maxReached bool) error {
	se := &ServiceError{
		Operation:          op.Name,
		StatusCode:         resp.StatusCode,
		Code:               pe.code,
		Message:            pe.message,
		RequestID:          resp.Header.Get("x-amzn-RequestId"),
		RetryAttempts:      retries,
		MaxAttemptsReached: maxReached,
		Body:               body,
	}
	return &clierr.Error{
		Kind:      clierr.Service,
		Code:      pe.code,
		Message:   pe.message,
		Operation: op.Name,
		Details:   errorDetails(c.model, pe.code, pe.body),
		Info:      errorInfo(c.model, pe.code, pe.message, pe.body),
		Err:       se,
	}
}

// IsServiceError reports whether err is an error answered by the service.
func IsServiceError(err error) bool {
	var se *ServiceError
	return errors.As(err, &se)
}
