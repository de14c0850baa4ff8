package awsclient

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"

	"github.com/cognate/cognate/internal/cli/clierr"
	"github.com/cognate/cognate/internal/cli/py"
	"github.com/cognate/cognate/internal/cli/value"
	"github.com/cognate/cognate/internal/model"
)

// ServiceError is the cause (clierr.Error.Err) of a service error: what
// botocore's ClientError carries beyond code and message.
type ServiceError struct {
	Operation  string
	StatusCode int
	Code       string
	Message    string
	RequestID  string
	// RetryAttempts is the number of retries made (attempts - 1).
	RetryAttempts int
	// MaxAttemptsReached is set when the last attempt was the last one
	// allowed; the CLI then says " (reached max retries: N)".
	MaxAttemptsReached bool
	Body               []byte
}

// RetryInfo is botocore's ClientError._get_retry_info: " (reached max
// retries: N)" when the attempts ran out, else "".
func (e *ServiceError) RetryInfo() string {
	if e.MaxAttemptsReached {
		return fmt.Sprintf(" (reached max retries: %d)", e.RetryAttempts)
	}
	return ""
}

// Error is botocore's ClientError text: "An error occurred (Code) when
// calling the Op operation (reached max retries: N): Message".
func (e *ServiceError) Error() string {
	return fmt.Sprintf("An error occurred (%s) when calling the %s operation%s: %s", e.Code, e.Operation, e.RetryInfo(), e.Message)
}

// ClientErrorText returns the AWS CLI's one-line text of a service error
// (without the "aws: [ERROR]: " prefix): for an error from Call or
// Paginate it includes the retry information that clierr.Error has no
// field for; for any other *clierr.Error with a Code it is built from
// Code, Operation and Message.
func ClientErrorText(e *clierr.Error) string {
	var se *ServiceError
	if errors.As(e, &se) {
		return fmt.Sprintf("An error occurred (%s) when calling the %s operation%s: %s", e.Code, e.Operation, se.RetryInfo(), e.Message)
	}
	return fmt.Sprintf("An error occurred (%s) when calling the %s operation: %s", e.Code, e.Operation, e.Message)
}

// parsedError is botocore's parsed error response.
type parsedError struct {
	code, message string
	body          *value.Object // the JSON body when it was an object
	// crash is set when botocore's parser itself fails (a JSON body that
	// is not an object: "'list' object has no attribute 'get'").
	crash string
}

// parseErrorResponse is botocore's JSON error parsing (parsers.py
// ResponseParser._is_generic_error_response / _do_generic_error_parse and
// BaseJSONParser._do_error_parse).
func parseErrorResponse(status int, header http.Header, body []byte) parsedError {
	trimmed := bytes.TrimSpace(body)
	if status >= 500 && (len(trimmed) == 0 || bytes.HasPrefix(trimmed, []byte("<html>"))) {
		return parsedError{code: strconv.Itoa(status), message: http.StatusText(status)}
	}
	var obj *value.Object
	if len(body) > 0 {
		v, err := value.ParseJSON(body)
		if o, ok := v.(*value.Object); err == nil && ok {
			obj = o
		} else if err == nil {
			return parsedError{crash: fmt.Sprintf("'%s' object has no attribute 'get'", py.TypeName(v))}
		} else {
			// Not JSON (or not an object): the literal text is the message.
			obj = value.NewObject()
			obj.Set("message", validUTF8(body))
		}
	} else {
		obj = value.NewObject()
	}
	pe := parsedError{body: obj}
	if m, ok := obj.Get("message"); ok {
		pe.message = py.Str(m)
	} else if m, ok := obj.Get("Message"); ok {
		pe.message = py.Str(m)
	}
	code, haveCode := "", false
	if q := header.Get("x-amzn-query-error"); q != "" {
		if parts := strings.Split(q, ";"); len(parts) == 2 && parts[0] != "" {
			code, haveCode = parts[0], true
		}
	}
	if !haveCode {
		if t, ok := obj.Get("__type"); ok {
			if t != nil {
				code, haveCode = py.Str(t), true
			}
		} else {
			code, haveCode = strconv.Itoa(status), true
		}
	}
	if haveCode {
		code, _, _ = strings.Cut(code, ":")
		if i := strings.LastIndexByte(code, '#'); i >= 0 {
			code = code[i+1:]
		}
	}
	pe.code = code
	return pe
}

// errorDetails are the modelled members of the error shape other than
// code and message, as the 2.34+ CLI prints them under "Additional error
// details:" (awscli/errorhandler.py ClientErrorHandler and
// EnhancedErrorFormatter).
func errorDetails(m *model.Model, code string, body *value.Object) [][2]string {
	if body == nil || m == nil {
		return nil
	}
	sh, ok := m.Shapes[code]
	if !ok || !sh.Exception {
		return nil
	}
	var out [][2]string
	for _, mem := range sh.Members {
		switch strings.ToLower(mem.Name) {
		case "code", "message":
			continue
		}
		v, ok := body.Get(mem.Name)
		if !ok || v == nil {
			continue
		}
		out = append(out, [2]string{mem.Name, enhancedValue(v)})
	}
	return out
}

// errorInfo is the error information the 2.34+ CLI prints with
// --cli-error-format json|yaml|text|table for a service error: botocore's
// response["Error"], whose keys its JSON parser creates as Message then
// Code (parsers.py BaseJSONParser._do_error_parse), then the members of
// the error shape found in the body, in model order, which
// endpoint.py _add_modeled_error_fields puts in the response and
// errorhandler.py ClientErrorHandler._extract_error_response copies (so a
// Cognito error, whose shapes have a member "message", shows both
// "Message" and "message").
func errorInfo(m *model.Model, code, message string, body *value.Object) []clierr.Field {
	info := []clierr.Field{{Key: "Message", Value: message}, {Key: "Code", Value: code}}
	if body == nil || m == nil {
		return info
	}
	sh, ok := m.Shapes[code]
	if !ok || !sh.Exception {
		return info
	}
	for _, mem := range sh.Members {
		if mem.Name == "Message" || mem.Name == "Code" {
			continue // already in response["Error"]
		}
		if v, ok := body.Get(mem.Name); ok && v != nil {
			info = append(info, clierr.Field{Key: mem.Name, Value: v})
		}
	}
	return info
}

// enhancedValue is EnhancedErrorFormatter's spelling of one value.
func enhancedValue(v any) string {
	simple := func(v any) bool { return value.IsScalar(v) }
	switch t := v.(type) {
	case []any:
		if len(t) < 5 {
			parts := make([]string, len(t))
			ok := true
			for i, e := range t {
				if !simple(e) {
					ok = false
					break
				}
				parts[i] = py.Str(e)
			}
			if ok {
				return "[" + strings.Join(parts, ", ") + "]"
			}
		}
		return "<complex value>"
	case *value.Object:
		if t.Len() < 5 {
			parts := make([]string, 0, t.Len())
			ok := true
			for _, k := range t.Keys() {
				e, _ := t.Get(k)
				if !simple(e) {
					ok = false
					break
				}
				parts = append(parts, k+": "+py.Str(e))
			}
			if ok {
				return "{" + strings.Join(parts, ", ") + "}"
			}
		}
		return "<complex value>"
	}
	return py.Str(v)
}

// sendErrorKind classifies a failure to get a response, as botocore's
// httpsession.URLLib3Session.send does.
type sendErrorKind int

const (
	errEndpointConnection sendErrorKind = iota // EndpointConnectionError
	errConnectTimeout                          // ConnectTimeoutError
	errReadTimeout                             // ReadTimeoutError
	errConnectionClosed                        // ConnectionClosedError
	errSSL                                     // SSLError
	errProxy                                   // ProxyConnectionError
	errHTTPClient                              // HTTPClientError
)

// sendError is a failure to get a response; all kinds are retried in
// standard mode (TransientRetryableChecker: ConnectionError and
// HTTPClientError).
type sendError struct {
	kind  sendErrorKind
	url   string
	proxy string
	err   error
}

func (e *sendError) Error() string {
	switch e.kind {
	case errEndpointConnection:
		return fmt.Sprintf("Could not connect to the endpoint URL: \"%s\"", e.url)
	case errConnectTimeout:
		return fmt.Sprintf("Connect timeout on endpoint URL: \"%s\"", e.url)
	case errReadTimeout:
		return fmt.Sprintf("Read timeout on endpoint URL: \"%s\"", e.url)
	case errConnectionClosed:
		return fmt.Sprintf("Connection was closed before we received a valid response from endpoint URL: \"%s\".", e.url)
	case errSSL:
		return fmt.Sprintf("SSL validation failed for %s %v", e.url, e.err)
	case errProxy:
		return fmt.Sprintf("Failed to connect to proxy URL: \"%s\"", e.proxy)
	}
	return fmt.Sprintf("An HTTP Client raised an unhandled exception: %v", e.err)
}

func (e *sendError) Unwrap() error { return e.err }

func (e *sendError) timeout() bool { return e.kind == errConnectTimeout || e.kind == errReadTimeout }

// classifySendError maps a net/http failure to botocore's exception.
func classifySendError(err error, reqURL, proxy string) *sendError {
	se := &sendError{url: reqURL, proxy: proxy, err: err}
	var de *dialError
	var rt *readTimeoutError
	var netErr net.Error
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var certInvalid x509.CertificateInvalidError
	var verifyErr *tls.CertificateVerificationError
	var recordErr tls.RecordHeaderError
	var alertErr tls.AlertError
	switch {
	case errors.As(err, &rt):
		se.kind = errReadTimeout
	case errors.As(err, &de):
		switch {
		case proxy != "":
			se.kind = errProxy
		case errors.As(de.err, &netErr) && netErr.Timeout():
			se.kind = errConnectTimeout
		default:
			se.kind = errEndpointConnection
		}
	case errors.As(err, &unknownAuth), errors.As(err, &hostErr), errors.As(err, &certInvalid),
		errors.As(err, &verifyErr), errors.As(err, &recordErr), errors.As(err, &alertErr):
		se.kind = errSSL
		se.err = tlsCause(err)
	case strings.Contains(err.Error(), "TLS handshake timeout"):
		se.kind = errConnectTimeout
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE), errors.Is(err, net.ErrClosed):
		se.kind = errConnectionClosed
	case errors.As(err, &netErr) && netErr.Timeout():
		se.kind = errReadTimeout
	default:
		se.kind = errHTTPClient
	}
	return se
}

// tlsCause strips net/http's wrapping from a TLS failure.
func tlsCause(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		next := u.Unwrap()
		if next == nil {
			return err
		}
		switch next.(type) {
		case x509.UnknownAuthorityError, x509.HostnameError, x509.CertificateInvalidError,
			*tls.CertificateVerificationError, tls.RecordHeaderError, tls.AlertError:
			return next
		}
		err = next
	}
}
