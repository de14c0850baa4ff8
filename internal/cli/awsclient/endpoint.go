package awsclient

import (
	"context"
	"fmt"
	"net/netip"
	"regexp"
	"strings"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognate/cognate/internal/cli/clierr"
	"github.com/cognate/cognate/internal/cli/py"
)

// The service id botocore uses for configured endpoints
// (utils.CLIENT_NAME_TO_HYPHENIZED_SERVICE_ID_OVERRIDES["cognito-idp"]).
const (
	endpointEnvVar     = "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"
	servicesSectionKey = "cognito_identity_provider"
	clientName         = "cognito-idp"
)

// resolveEndpoint picks the endpoint: --endpoint-url, else (unless
// ignore_configured_endpoint_urls) the configured one
// (configprovider.ConfiguredEndpointProvider: the service's environment
// variable, AWS_ENDPOINT_URL, the profile's services section, the
// profile's endpoint_url), then runs the service's endpoint rules with
// Region, UseFIPS, UseDualStack and that Endpoint.
func (c *Client) resolveEndpoint(ctx context.Context) error {
	if v, ok := c.configVar("use_fips_endpoint", "AWS_USE_FIPS_ENDPOINT"); ok {
		c.fips = ensureBoolean(v)
	}
	if v, ok := c.configVar("use_dualstack_endpoint", "AWS_USE_DUALSTACK_ENDPOINT"); ok {
		c.dualStack = ensureBoolean(v)
	}
	configured := c.cfg.EndpointURL
	if configured == "" {
		ignore := false
		if v, ok := c.configVar("ignore_configured_endpoint_urls", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"); ok {
			ignore = ensureBoolean(v)
		}
		if ignore {
			c.log.Debug("botocore.args", "Ignoring configured endpoint URLs.")
		} else {
			var err error
			if configured, err = c.configuredEndpoint(); err != nil {
				return err
			}
		}
	}
	if configured != "" && !validEndpointURL(configured) {
		// botocore.endpoint.EndpointCreator.create_endpoint.
		return &clierr.Error{Kind: clierr.Other, Message: "Invalid endpoint: " + configured}
	}

	params := cip.EndpointParameters{Region: &c.region, UseFIPS: &c.fips, UseDualStack: &c.dualStack}
	paramRepr := fmt.Sprintf("{'Region': %s, 'UseDualStack': %s, 'UseFIPS': %s",
		py.StrRepr(c.region), py.Repr(c.dualStack), py.Repr(c.fips))
	if configured != "" {
		params.Endpoint = &configured
		paramRepr += ", 'Endpoint': " + py.StrRepr(configured)
	}
	c.log.Debug("botocore.regions", "Calling endpoint provider with parameters: %s}", paramRepr)
	ep, err := cip.NewDefaultEndpointResolverV2().ResolveEndpoint(ctx, params)
	switch {
	case err != nil && configured != "" && !c.fips && !c.dualStack:
		// The rules return the configured endpoint as it is; the SDK
		// also parses it, which botocore does not.
		c.endpoint = configured
	case err != nil:
		msg := strings.TrimPrefix(err.Error(), "endpoint rule error, ")
		return &clierr.Error{Kind: clierr.Other, Message: msg, Err: err}
	case configured != "":
		c.endpoint = configured
	default:
		c.endpoint = ep.URI.String()
	}
	c.log.Debug("botocore.regions", "Endpoint provider result: %s", c.endpoint)
	c.url = urlJoin(c.endpoint, "/")
	return nil
}

// configuredEndpoint is ConfiguredEndpointProvider.provide.
func (c *Client) configuredEndpoint() (string, error) {
	type source struct {
		name string
		get  func() (string, error)
	}
	sources := []source{
		{"environment_service", func() (string, error) { v, _ := envLookup(endpointEnvVar); return v, nil }},
		{"environment_global", func() (string, error) { v, _ := envLookup("AWS_ENDPOINT_URL"); return v, nil }},
		{"config_service", func() (string, error) {
			name, ok := c.scoped.str("services")
			if !ok {
				return "", nil
			}
			sec := c.shared.services[name]
			if len(sec) == 0 {
				return "", &clierr.Error{Kind: clierr.Other, Message: fmt.Sprintf(
					`The profile is configured to use the services section but the "%s" services configuration does not exist.`, name)}
			}
			if m, ok := sec[servicesSectionKey].(map[string]string); ok {
				return m["endpoint_url"], nil
			}
			return "", nil
		}},
		{"config_global", func() (string, error) { v, _ := c.scoped.str("endpoint_url"); return v, nil }},
	}
	for _, s := range sources {
		c.log.Debug("botocore.configprovider", "Looking for endpoint for %s via: %s", clientName, s.name)
		v, err := s.get()
		if err != nil {
			return "", err
		}
		if v != "" {
			c.log.Info("botocore.configprovider", "Found endpoint for %s via: %s.", clientName, s.name)
			return v, nil
		}
	}
	c.log.Debug("botocore.configprovider", "No configured endpoint found.")
	return "", nil
}

// pyURLSplit is urllib.parse.urlsplit (Python 3.11): scheme, netloc, path
// and the rest (query and fragment with their separators).
func pyURLSplit(u string) (scheme, netloc, path, rest string) {
	if i := strings.IndexByte(u, ':'); i > 0 && isASCIIAlpha(u[0]) {
		ok := true
		for j := 0; j < i; j++ {
			ch := u[j]
			if !(isASCIIAlpha(ch) || ch >= '0' && ch <= '9' || ch == '+' || ch == '-' || ch == '.') {
				ok = false
				break
			}
		}
		if ok {
			scheme, u = strings.ToLower(u[:i]), u[i+1:]
		}
	}
	if strings.HasPrefix(u, "//") {
		end := len(u)
		for _, sep := range "/?#" {
			if k := strings.IndexRune(u[2:], sep); k >= 0 && k+2 < end {
				end = k + 2
			}
		}
		netloc, u = u[2:end], u[end:]
	}
	path = u
	if k := strings.IndexAny(u, "?#"); k >= 0 {
		path, rest = u[:k], u[k:]
	}
	return scheme, netloc, path, rest
}

func isASCIIAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// pyHostname is urlsplit(u).hostname: lower case, without userinfo and
// port, brackets removed; "" for None.
func pyHostname(netloc string) string {
	if i := strings.LastIndexByte(netloc, '@'); i >= 0 {
		netloc = netloc[i+1:]
	}
	if strings.HasPrefix(netloc, "[") {
		if j := strings.IndexByte(netloc, ']'); j >= 0 {
			return strings.ToLower(netloc[1:j])
		}
		return ""
	}
	host, _, _ := strings.Cut(netloc, ":")
	return strings.ToLower(host)
}

var hostLabelsRE = regexp.MustCompile(`(?i)^([a-z\d-]{1,63}\.)*[a-z\d-]{1,63}$`)

// validEndpointURL is botocore.utils.is_valid_endpoint_url or
// is_valid_ipv6_endpoint_url.
func validEndpointURL(u string) bool {
	_, netloc, _, _ := pyURLSplit(u)
	host := pyHostname(netloc)
	if host == "" {
		return false
	}
	if strings.HasPrefix(netloc, "[") || strings.Contains(netloc, "]") {
		if strings.ContainsAny(u, "\t\r\n") {
			return false
		}
		zone := ""
		if i := strings.Index(host, "%25"); i >= 0 {
			host, zone = host[:i], host[i+3:]
		} else if i := strings.IndexByte(host, '%'); i >= 0 {
			host, zone = host[:i], host[i+1:]
		}
		_ = zone
		a, err := netip.ParseAddr(host)
		return err == nil && a.Is6()
	}
	if len(host) > 255 {
		return false
	}
	host = strings.TrimSuffix(host, ".")
	if !hostLabelsRE.MatchString(host) {
		return false
	}
	for _, label := range strings.Split(host, ".") {
		if strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return false
		}
	}
	return true
}

// urlJoin is botocore.awsrequest._urljoin with no host prefix: the
// endpoint's path (or "/"), the operation's path, the endpoint's query.
func urlJoin(endpoint, urlPath string) string {
	scheme, netloc, path, rest := pyURLSplit(endpoint)
	var newPath string
	switch {
	case urlPath == "" || urlPath == "/":
		newPath = path
		if newPath == "" {
			newPath = "/"
		}
	case strings.HasSuffix(path, "/") && strings.HasPrefix(urlPath, "/"):
		newPath = path[:len(path)-1] + urlPath
	default:
		newPath = path + urlPath
	}
	out := ""
	if scheme != "" {
		out = scheme + ":"
	}
	if netloc != "" || scheme != "" {
		out += "//" + netloc
	}
	return out + newPath + rest
}
