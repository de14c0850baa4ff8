package awsclient

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	mathrand "math/rand/v2"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cognate/cognate/internal/cli/clierr"
	"github.com/cognate/cognate/internal/cli/py"
	"github.com/cognate/cognate/internal/cli/value"
	"github.com/cognate/cognate/internal/model"
)

// DefaultTimeout is botocore's DEFAULT_TIMEOUT, the connect and read
// timeout when --cli-connect-timeout / --cli-read-timeout are not given.
const DefaultTimeout = 60

// DefaultUserAgent is sent when Config.UserAgent is empty.
const DefaultUserAgent = "cognate"

// Config is what the global options say about the connection. A string
// field that is "" was not given.
type Config struct {
	Profile     string // --profile
	Region      string // --region
	EndpointURL string // --endpoint-url
	CABundle    string // --ca-bundle

	NoSignRequest bool // --no-sign-request
	NoVerifySSL   bool // --no-verify-ssl

	// ReadTimeout and ConnectTimeout are --cli-read-timeout and
	// --cli-connect-timeout in seconds: nil means DefaultTimeout, 0 means
	// no timeout. The read timeout applies to each read from the socket,
	// as urllib3's does, not to the whole response.
	ReadTimeout, ConnectTimeout *int

	// Debug receives the --debug log (stderr), or nil.
	Debug io.Writer
	// Logger, when set, is used instead of a new one on Debug so that the
	// caller's own lines and these share one writer and lock.
	Logger *Logger

	// UserAgent is the User-Agent header ("" = DefaultUserAgent).
	UserAgent string

	// Model is the API model (nil = model.CognitoIDP()): its metadata
	// names the target prefix, JSON version and signing name, its error
	// shapes give the extra members of service errors, its input shapes the
	// type of a paginator's limit key.
	Model *model.Model

	// Serialize turns the parameters of one page into the request body for
	// Paginate (botocore validates and serialises every page; this is where
	// the caller does both, and an error it returns is returned as is).
	// nil = plain JSON of the value types (json.dumps style).
	Serialize func(op *model.Operation, params *value.Object) ([]byte, error)
}

// Settings are the selected profile's flat settings from the shared config
// and credentials files (output, cli_pager, cli_timestamp_format,
// cli_binary_format, cli_auto_prompt, cli_error_format, ...; credentials
// are left out), plus "region" set to the resolved region when there is
// one. Keys are lower case as configparser makes them.
type Settings map[string]string

// Client sends cognito-idp requests. It is safe for concurrent use.
type Client struct {
	cfg   Config
	model *model.Model
	log   *Logger

	profile         string
	profileExplicit bool // --profile: env credentials are not used
	shared          *sharedConfig
	scoped          iniSection
	configPathRaw   string // as configured, for messages ("~/.aws/config")
	credsPathRaw    string
	configPath      string // expanded
	credsPath       string

	region    string
	url       string // the request URL
	endpoint  string // the resolved endpoint (before the path is joined)
	fips      bool
	dualStack bool

	maxAttempts int
	retryMode   string
	quota       *retryQuota

	httpClient  *http.Client
	tlsConfig   *tls.Config
	caPEM       []byte
	caErr       error // CA bundle unreadable: reported on each https attempt
	readTimeout time.Duration
	connTimeout time.Duration

	credMu   sync.Mutex
	credDone bool
	creds    credentials
	credErr  error

	// Seams for tests.
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
	random func() float64
	newID  func() string
}

func envLookup(name string) (string, bool) { return os.LookupEnv(name) }

// Setting reads one setting of the profile the CLI uses (profile, else
// AWS_PROFILE, AWS_DEFAULT_PROFILE, "default") from the shared config and
// credentials files, for what the CLI needs without a client, such as
// cli_error_format when an error of the argument parsing is reported.
// Unreadable files or a missing profile or key give false.
func Setting(profile, key string) (string, bool) {
	if profile == "" {
		profile = "default"
		if v, ok := envLookup("AWS_PROFILE"); ok {
			profile = v
		} else if v, ok := envLookup("AWS_DEFAULT_PROFILE"); ok {
			profile = v
		}
	}
	configPath, credsPath := "~/.aws/config", "~/.aws/credentials"
	if v, ok := envLookup("AWS_CONFIG_FILE"); ok {
		configPath = v
	}
	if v, ok := envLookup("AWS_SHARED_CREDENTIALS_FILE"); ok {
		credsPath = v
	}
	shared, _, err := loadSharedConfig(expandPath(configPath), expandPath(credsPath))
	if err != nil {
		return "", false
	}
	scoped, ok := shared.profiles[profile]
	if !ok {
		return "", false
	}
	return scoped.str(key)
}

// CheckEndpointURL is awscli/customizations/globalargs.py
// _resolve_endpoint_url: --endpoint-url must have a scheme. The AWS CLI
// checks it as soon as the global options are parsed, before the
// operation's arguments.
func CheckEndpointURL(endpoint string) error {
	if scheme, _, _, _ := pyURLSplit(endpoint); scheme == "" {
		return &clierr.Error{Kind: clierr.ParamParse, Message: fmt.Sprintf(
			"Bad value for --endpoint-url \"%s\": scheme is missing.  Must be of the form http://<hostname>/ or https://<hostname>/", endpoint)}
	}
	return nil
}

// ensureBoolean is botocore.utils.ensure_boolean for a string.
func ensureBoolean(s string) bool { return strings.ToLower(s) == "true" }

// New resolves the profile, region, endpoint, retry and TLS settings with
// the AWS CLI v2's precedence and returns a Client and the profile's
// Settings. Credentials are resolved later, on the first signed call.
//
// Errors are *clierr.Error: a bad --endpoint-url (ParamParse), an unknown
// profile ("The config profile (nope) could not be found", Other), an
// unparsable config file, an invalid region name, retry settings or
// endpoint configuration (Other), no region (Config, Code "NoRegion").
// Settings is returned with the error when the files could be read, so
// that the caller can still honour e.g. cli_error_format.
func New(ctx context.Context, c Config) (*Client, Settings, error) {
	cl := &Client{
		cfg:    c,
		model:  c.Model,
		log:    c.Logger,
		now:    time.Now,
		sleep:  sleepCtx,
		random: mathrand.Float64,
		newID:  uuid4,
	}
	if cl.model == nil {
		cl.model = model.CognitoIDP()
	}
	if cl.log == nil {
		cl.log = NewLogger(c.Debug)
	}

	// --endpoint-url must have a scheme; the command line checks it first
	// (CheckEndpointURL), this is for other callers.
	if c.EndpointURL != "" {
		if err := CheckEndpointURL(c.EndpointURL); err != nil {
			return nil, nil, err
		}
	}

	// Profile: --profile > AWS_PROFILE > AWS_DEFAULT_PROFILE > default
	// (botocore configprovider 'profile'; an empty --profile is ignored,
	// clidriver._handle_top_level_args).
	explicitName := false
	switch {
	case c.Profile != "":
		cl.profile, cl.profileExplicit, explicitName = c.Profile, true, true
	default:
		if v, ok := envLookup("AWS_PROFILE"); ok {
			cl.profile, explicitName = v, true
		} else if v, ok := envLookup("AWS_DEFAULT_PROFILE"); ok {
			cl.profile, explicitName = v, true
		} else {
			cl.profile = "default"
		}
	}

	cl.configPathRaw = "~/.aws/config"
	if v, ok := envLookup("AWS_CONFIG_FILE"); ok {
		cl.configPathRaw = v
	}
	cl.credsPathRaw = "~/.aws/credentials"
	if v, ok := envLookup("AWS_SHARED_CREDENTIALS_FILE"); ok {
		cl.credsPathRaw = v
	}
	cl.configPath, cl.credsPath = expandPath(cl.configPathRaw), expandPath(cl.credsPathRaw)
	shared, badPath, err := loadSharedConfig(cl.configPath, cl.credsPath)
	if err != nil {
		return nil, nil, &clierr.Error{Kind: clierr.Other, Message: "Unable to parse config file: " + badPath, Err: err}
	}
	cl.shared = shared
	scoped, ok := shared.profiles[cl.profile]
	if !ok {
		// session.get_scoped_config: a profile that was named must exist,
		// even "default"; an unnamed default may be absent.
		if explicitName {
			return nil, nil, &clierr.Error{Kind: clierr.Other, Message: fmt.Sprintf("The config profile (%s) could not be found", cl.profile)}
		}
		scoped = iniSection{}
	}
	cl.scoped = scoped

	settings := Settings{}
	for k, v := range scoped {
		s, isStr := v.(string)
		if !isStr {
			continue
		}
		switch k {
		case "aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_security_token":
			continue
		}
		settings[k] = s
	}

	if err := cl.resolveRegion(ctx); err != nil {
		return nil, settings, err
	}
	settings["region"] = cl.region

	if err := cl.resolveRetries(); err != nil {
		return nil, settings, err
	}
	if err := cl.resolveTransport(); err != nil {
		return nil, settings, err
	}
	if err := cl.resolveEndpoint(ctx); err != nil {
		return nil, settings, err
	}
	if strings.HasPrefix(strings.ToLower(cl.endpoint), "https://") {
		if err := cl.loadCABundle(cl.tlsConfig); err != nil {
			return nil, settings, err
		}
	}
	cl.quota = newRetryQuota()
	return cl, settings, nil
}

// Region is the resolved region.
func (c *Client) Region() string { return c.region }

// Endpoint is the resolved endpoint URL (what --debug calls the endpoint
// provider result).
func (c *Client) Endpoint() string { return c.endpoint }

// Profile is the profile in use.
func (c *Client) Profile() string { return c.profile }

// MaxAttempts is the total number of attempts per request.
func (c *Client) MaxAttempts() int { return c.maxAttempts }

// Logger is the --debug logger (nil when --debug is off).
func (c *Client) Logger() *Logger { return c.log }

// configVar looks a botocore config variable up: the first environment
// variable that is set (even to ""), else the profile's key.
func (c *Client) configVar(key string, envNames ...string) (string, bool) {
	for _, e := range envNames {
		if v, ok := envLookup(e); ok {
			return v, true
		}
	}
	if key != "" {
		return c.scoped.str(key)
	}
	return "", false
}

// resolveRegion: --region > AWS_REGION > AWS_DEFAULT_REGION > profile
// region > IMDS (awscli clidriver._construct_cli_region_chain). A variable
// that is set to "" stops the chain, as botocore's EnvironmentProvider
// does, and then there is no region.
func (c *Client) resolveRegion(ctx context.Context) error {
	region, found := c.cfg.Region, c.cfg.Region != ""
	if !found {
		region, found = c.configVar("region", "AWS_REGION", "AWS_DEFAULT_REGION")
	}
	if !found {
		region = c.imdsRegion(ctx)
	}
	if !validRegionName(region) {
		return &clierr.Error{Kind: clierr.Other, Message: fmt.Sprintf("Provided region_name '%s' doesn't match a supported format.", region)}
	}
	if region == "" {
		return &clierr.Error{Kind: clierr.Config, Code: "NoRegion",
			Message: `You must specify a region. You can also configure your region by running "aws configure".`}
	}
	c.region = region
	return nil
}

// validRegionName is botocore.utils.validate_region_name:
// ^(?![0-9]+$)(?!-)[a-zA-Z0-9-]{,63}(?<!-)$
func validRegionName(s string) bool {
	if len(s) > 63 || strings.HasPrefix(s, "-") || strings.HasSuffix(s, "-") {
		return false
	}
	digits := s != ""
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '-':
			digits = false
		default:
			return false
		}
	}
	return !digits
}

// resolveRetries: retry_mode (AWS_RETRY_MODE > profile > "standard") and
// max_attempts (AWS_MAX_ATTEMPTS > profile > 3), validated as
// botocore.config.Config._validate_retry_configuration does.
func (c *Client) resolveRetries() error {
	c.maxAttempts = defaultMaxAttempts
	if v, ok := c.configVar("max_attempts", "AWS_MAX_ATTEMPTS"); ok {
		n, err := py.Int(v)
		if err != nil {
			return &clierr.Error{Kind: clierr.Other, Message: err.Error()}
		}
		if n < 1 {
			return &clierr.Error{Kind: clierr.Other, Message: fmt.Sprintf(
				`Value provided to "max_attempts": %d must be an integer greater than or equal to one.`, n)}
		}
		c.maxAttempts = int(n)
	}
	c.retryMode = "standard"
	if v, ok := c.configVar("retry_mode", "AWS_RETRY_MODE"); ok {
		if v != "standard" && v != "adaptive" {
			return &clierr.Error{Kind: clierr.Other, Message: fmt.Sprintf(
				`Invalid value provided to "mode": "%s" must be one of: "standard" or "adaptive"`, v)}
		}
		c.retryMode = v
	}
	return nil
}

func timeoutOf(p *int) time.Duration {
	if p == nil {
		return DefaultTimeout * time.Second
	}
	if *p <= 0 {
		return 0
	}
	return time.Duration(*p) * time.Second
}

// resolveTransport builds the HTTP client: timeouts, proxies from the
// environment, and TLS verification: --no-verify-ssl, else the CA bundle
// from --ca-bundle > AWS_CA_BUNDLE > profile ca_bundle > REQUESTS_CA_BUNDLE
// (session.create_client, EndpointCreator._get_verify_value), else the
// system roots.
func (c *Client) resolveTransport() error {
	c.readTimeout = timeoutOf(c.cfg.ReadTimeout)
	c.connTimeout = timeoutOf(c.cfg.ConnectTimeout)
	fmtTimeout := func(d time.Duration) string {
		if d == 0 {
			return "None"
		}
		return strconv.Itoa(int(d / time.Second))
	}
	c.log.Debug("botocore.endpoint", "Setting %s timeout as (%s, %s)", c.model.Metadata.EndpointPrefix, fmtTimeout(c.connTimeout), fmtTimeout(c.readTimeout))

	tc := &tls.Config{}
	if c.cfg.NoVerifySSL {
		tc.InsecureSkipVerify = true
	}
	c.tlsConfig = tc
	c.httpClient = &http.Client{
		Transport: c.newTransport(tc),
		// botocore does not follow redirects.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return nil
}

// loadCABundle reads the configured CA bundle into tc. It runs only for an
// https endpoint: parsing a system bundle of ~140 certificates costs
// milliseconds that a call to a local http endpoint should not pay.
func (c *Client) loadCABundle(tc *tls.Config) error {
	if c.cfg.NoVerifySSL {
		return nil
	}
	bundle, set := c.cfg.CABundle, c.cfg.CABundle != ""
	if !set {
		if v, ok := c.configVar("ca_bundle", "AWS_CA_BUNDLE"); ok && v != "" {
			bundle, set = v, true
		}
	}
	if !set {
		if v, ok := envLookup("REQUESTS_CA_BUNDLE"); ok {
			bundle, set = v, true
		}
	}
	if set {
		if strings.TrimSpace(bundle) == "" {
			return &clierr.Error{Kind: clierr.Other, Message: "Invalid CA bundle: the configured value (ca_bundle, AWS_CA_BUNDLE, REQUESTS_CA_BUNDLE, or verify) resolved to an empty or whitespace-only string. Provide a valid path to a CA bundle file."}
		}
		pem, err := os.ReadFile(bundle)
		pool := x509.NewCertPool()
		switch {
		case err != nil:
			c.caErr = pyOSError(err)
		case !pool.AppendCertsFromPEM(pem):
			c.caErr = errors.New("[X509: NO_CERTIFICATE_OR_CRL_FOUND] no certificate or crl found")
		default:
			c.caPEM = pem
			tc.RootCAs = pool
		}
	}
	return nil
}

func (c *Client) newTransport(tc *tls.Config) *http.Transport {
	dialer := &net.Dialer{Timeout: c.connTimeout, KeepAlive: 30 * time.Second}
	rt := c.readTimeout
	return &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := dialer.DialContext(ctx, network, addr)
			if err != nil {
				return nil, &dialError{err: err}
			}
			if rt > 0 {
				return &deadlineConn{Conn: conn, read: rt}, nil
			}
			return conn, nil
		},
		TLSClientConfig:     tc,
		TLSHandshakeTimeout: c.connTimeout,
		MaxIdleConnsPerHost: 10,
		IdleConnTimeout:     90 * time.Second,
		// urllib3 sends no Accept-Encoding of its own; the request sets
		// "identity" and the body is read as it comes.
		DisableCompression: true,
	}
}

// dialError marks a failure to connect (EndpointConnectionError or
// ConnectTimeoutError in botocore).
type dialError struct{ err error }

func (e *dialError) Error() string { return e.err.Error() }
func (e *dialError) Unwrap() error { return e.err }

// deadlineConn gives every Read its own deadline: urllib3's read timeout
// is a socket timeout, not a limit on the whole response.
type deadlineConn struct {
	net.Conn
	read time.Duration
}

func (d *deadlineConn) Read(p []byte) (int, error) {
	if err := d.Conn.SetReadDeadline(time.Now().Add(d.read)); err != nil {
		return 0, err
	}
	n, err := d.Conn.Read(p)
	if err != nil && errors.Is(err, os.ErrDeadlineExceeded) {
		err = &readTimeoutError{err: err}
	}
	return n, err
}

type readTimeoutError struct{ err error }

func (e *readTimeoutError) Error() string   { return "read timeout: " + e.err.Error() }
func (e *readTimeoutError) Unwrap() error   { return e.err }
func (e *readTimeoutError) Timeout() bool   { return true }
func (e *readTimeoutError) Temporary() bool { return true }

// pyOSError spells a file error as Python's OSError str() does.
func pyOSError(err error) error {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return errors.New("[Errno 2] No such file or directory")
	case errors.Is(err, os.ErrPermission):
		return errors.New("[Errno 13] Permission denied")
	}
	return err
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// uuid4 is a random (version 4) UUID, for amz-sdk-invocation-id.
func uuid4() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// imdsRegion is the last step of the CLI's region chain
// (awscli/utils.py IMDSRegionProvider): the availability zone from the
// instance metadata service, less its last letter. It gives up quietly.
func (c *Client) imdsRegion(ctx context.Context) string {
	if v, _ := envLookup("AWS_EC2_METADATA_DISABLED"); strings.ToLower(v) == "true" {
		return ""
	}
	timeout := time.Second
	if v, ok := c.configVar("metadata_service_timeout", "AWS_METADATA_SERVICE_TIMEOUT"); ok {
		if n, err := py.Int(v); err == nil && n > 0 {
			timeout = time.Duration(n) * time.Second
		}
	}
	attempts := 1
	if v, ok := c.configVar("metadata_service_num_attempts", "AWS_METADATA_SERVICE_NUM_ATTEMPTS"); ok {
		if n, err := py.Int(v); err == nil && n > 0 {
			attempts = int(n)
		}
	}
	base := "http://169.254.169.254/"
	if v, ok := c.configVar("ec2_metadata_service_endpoint", "AWS_EC2_METADATA_SERVICE_ENDPOINT"); ok && v != "" {
		base = v
	} else if v, ok := c.configVar("ec2_metadata_service_endpoint_mode", "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"); ok && strings.ToLower(v) == "ipv6" {
		base = "http://[fd00:ec2::254]/"
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	hc := &http.Client{Timeout: timeout, Transport: &http.Transport{Proxy: nil}}
	do := func(method, path string, hdr map[string]string) (int, string, error) {
		req, err := http.NewRequestWithContext(ctx, method, base+path, nil)
		if err != nil {
			return 0, "", err
		}
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := hc.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
		return resp.StatusCode, string(b), err
	}
	token := ""
	for i := 0; i < attempts; i++ {
		st, body, err := do(http.MethodPut, "latest/api/token", map[string]string{"x-aws-ec2-metadata-token-ttl-seconds": "21600"})
		if err != nil {
			continue
		}
		if st == 200 {
			token = body
		} else if st != 404 && st != 403 && st != 405 {
			return ""
		}
		break
	}
	hdr := map[string]string{}
	if token != "" {
		hdr["x-aws-ec2-metadata-token"] = token
	}
	for i := 0; i < attempts; i++ {
		st, body, err := do(http.MethodGet, "latest/meta-data/placement/availability-zone/", hdr)
		if err == nil && st == 200 && body != "" {
			return body[:len(body)-1]
		}
	}
	return ""
}
