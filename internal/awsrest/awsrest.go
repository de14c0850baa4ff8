package awsrest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Client signs and sends requests to one endpoint.
type Client struct {
	Endpoint    string // e.g. https://s3.us-east-1.amazonaws.com or http://127.0.0.1:5000
	Service     string // the SigV4 signing name: s3, firehose
	Region      string
	Credentials aws.CredentialsProvider
	HTTP        *http.Client // nil: a client with a 30 s timeout
	// Attempts is how many times a call is tried when the endpoint
	// cannot be reached or answers 5xx or throttles (0: 3).
	Attempts int
}

// Error is an error answer: its HTTP status and AWS error code.
type Error struct {
	Status  int
	Code    string
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s (HTTP %d): %s", e.Code, e.Status, e.Message)
}

// Do sends a signed request and returns the answer's body for a 2xx, or an
// *Error (the code read from an XML or JSON error body).
func (c *Client) Do(ctx context.Context, method, path string, header http.Header, body []byte) ([]byte, error) {
	attempts := c.Attempts
	if attempts <= 0 {
		attempts = 3
	}
	var err error
	for i := range attempts {
		if i > 0 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(time.Duration(100<<i) * time.Millisecond):
			}
		}
		var out []byte
		out, err = c.once(ctx, method, path, header, body)
		var apiErr *Error
		switch {
		case err == nil:
			return out, nil
		case ctx.Err() != nil:
			return nil, err
		case errors.As(err, &apiErr) && apiErr.Status < 500 && apiErr.Code != "Throttling" && apiErr.Code != "ThrottlingException" &&
			apiErr.Code != "SlowDown" && apiErr.Code != "ServiceUnavailableException":
			return nil, err // the endpoint's answer: trying again changes nothing
		}
	}
	return nil, err
}

func (c *Client) once(ctx context.Context, method, path string, header http.Header, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(c.Endpoint, "/")+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	sum := sha256.Sum256(body)
	payloadHash := hex.EncodeToString(sum[:])
	if c.Service == "s3" {
		req.Header.Set("X-Amz-Content-Sha256", payloadHash)
	}
	creds, err := c.Credentials.Retrieve(ctx)
	if err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, payloadHash, c.Service, c.Region, time.Now().UTC()); err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 == 2 {
		return out, nil
	}
	return nil, parseError(resp.StatusCode, out)
}

// parseError reads an AWS error body: S3's XML <Error><Code>, or the JSON
// protocols' __type (possibly "namespace#Code") and message.
func parseError(status int, body []byte) *Error {
	e := &Error{Status: status}
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) > 0 && trimmed[0] == '<':
		var x struct{ Code, Message string }
		_ = xml.Unmarshal(trimmed, &x)
		e.Code, e.Message = x.Code, x.Message
	case len(trimmed) > 0 && trimmed[0] == '{':
		var j struct {
			Type     string `json:"__type"`
			Message  string `json:"message"`
			Message2 string `json:"Message"`
		}
		_ = json.Unmarshal(trimmed, &j)
		e.Code = j.Type[strings.LastIndexByte(j.Type, '#')+1:]
		e.Message = j.Message + j.Message2
	}
	if e.Code == "" {
		e.Code = http.StatusText(status)
	}
	return e
}
