package awsclient

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	sdkconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"

	"github.com/cognate/cognate/internal/cli/clierr"
)

// credentials are what a signed request needs.
type credentials struct {
	provider aws.CredentialsProvider // nil for static credentials
	static   aws.Credentials
	// noneFound: the chain fell through to the instance metadata service,
	// so a failure there is "Unable to locate credentials".
	noneFound bool
	// method is botocore's name of the provider the SDK will use, for
	// "Error when retrieving credentials from <method>: ...".
	method string
}

const credLogger = "botocore.credentials"

// errNoCredentials is botocore's NoCredentialsError as the v2 CLI prints
// it (errorhandler.NoCredentialsErrorHandler).
func errNoCredentials(cause error) error {
	return &clierr.Error{Kind: clierr.Config, Code: "NoCredentials",
		Message: `Unable to locate credentials. You can configure credentials by running "aws login".`, Err: cause}
}

func errPartialCredentials(provider, variable string) error {
	return &clierr.Error{Kind: clierr.Other, Message: fmt.Sprintf("Partial credentials found in %s, missing: %s", provider, variable)}
}

// retrieveCredentials resolves the credential chain once (botocore's
// create_credential_resolver order) and returns current credentials.
func (c *Client) retrieveCredentials(ctx context.Context) (aws.Credentials, error) {
	c.credMu.Lock()
	defer c.credMu.Unlock()
	if !c.credDone {
		c.creds, c.credErr = c.resolveCredentialChain(ctx)
		c.credDone = true
	}
	if c.credErr != nil {
		return aws.Credentials{}, c.credErr
	}
	if c.creds.provider == nil {
		return c.creds.static, nil
	}
	rctx := ctx
	if c.creds.noneFound {
		// botocore asks the metadata service with a 1 s timeout, once.
		var cancel context.CancelFunc
		rctx, cancel = context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
	}
	cr, err := c.creds.provider.Retrieve(rctx)
	if err != nil {
		if c.creds.noneFound {
			return aws.Credentials{}, errNoCredentials(err)
		}
		msg := strings.TrimPrefix(err.Error(), "failed to refresh cached credentials, ")
		return aws.Credentials{}, &clierr.Error{Kind: clierr.Other, Message: fmt.Sprintf("Error when retrieving credentials from %s: %s", c.creds.method, msg), Err: err}
	}
	if !cr.HasKeys() {
		return aws.Credentials{}, errNoCredentials(nil)
	}
	return cr, nil
}

func (c *Client) resolveCredentialChain(ctx context.Context) (credentials, error) {
	look := func(method string) { c.log.Debug(credLogger, "Looking for credentials via: %s", method) }

	// 1. Environment, unless --profile was given.
	if !c.profileExplicit {
		look("env")
		if ak, _ := envLookup("AWS_ACCESS_KEY_ID"); ak != "" {
			c.log.Info(credLogger, "Found credentials in environment variables.")
			sk, _ := envLookup("AWS_SECRET_ACCESS_KEY")
			if sk == "" {
				return credentials{}, errPartialCredentials("env", "AWS_SECRET_ACCESS_KEY")
			}
			tok := ""
			for _, name := range []string{"AWS_SECURITY_TOKEN", "AWS_SESSION_TOKEN"} {
				if v, _ := envLookup(name); v != "" {
					tok = v
					break
				}
			}
			acct, _ := envLookup("AWS_ACCOUNT_ID")
			return credentials{static: aws.Credentials{AccessKeyID: ak, SecretAccessKey: sk, SessionToken: tok, AccountID: acct, Source: "env"}}, nil
		}
	}

	p := c.scoped
	has := func(k string) bool { _, ok := p[k]; return ok }
	envWebIdentity := false
	if !c.profileExplicit {
		if v, _ := envLookup("AWS_WEB_IDENTITY_TOKEN_FILE"); v != "" {
			envWebIdentity = true
		}
	}
	sso := false
	for k := range p {
		if strings.HasPrefix(k, "sso_") {
			sso = true
		}
	}
	configured := has("role_arn") || has("web_identity_token_file") || envWebIdentity || sso

	if !configured {
		look("assume-role")
		look("assume-role-with-web-identity")
		look("sso")
		look("shared-credentials-file")
		if ck := c.shared.credsKeys[c.profile]; ck["aws_access_key_id"] {
			c.log.Info(credLogger, "Found credentials in shared credentials file: %s", c.credsPathRaw)
			if !ck["aws_secret_access_key"] {
				return credentials{}, errPartialCredentials("shared-credentials-file", "aws_secret_access_key")
			}
			return credentials{static: c.profileStatic("shared-credentials-file")}, nil
		}
		if !has("login_session") && !has("credential_process") {
			look("login")
			look("custom-process")
			look("config-file")
			if has("aws_access_key_id") {
				c.log.Info(credLogger, "Credentials found in config file: %s", c.configPathRaw)
				if !has("aws_secret_access_key") {
					return credentials{}, errPartialCredentials("config-file", "aws_secret_access_key")
				}
				return credentials{static: c.profileStatic("config-file")}, nil
			}
		}
	}

	// Everything else (assume role, web identity, SSO, aws login,
	// credential_process, container and instance credentials) is the AWS
	// SDK's chain, which follows the same order.
	_, container1 := envLookup("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
	_, container2 := envLookup("AWS_CONTAINER_CREDENTIALS_FULL_URI")
	noneFound := !configured && !has("login_session") && !has("credential_process") && !container1 && !container2
	if noneFound {
		look("container-role")
		look("iam-role")
		if v, _ := envLookup("AWS_EC2_METADATA_DISABLED"); strings.ToLower(v) == "true" {
			return credentials{}, errNoCredentials(nil)
		}
	}
	cfg, err := c.loadSDKConfig(ctx)
	if err != nil {
		if noneFound {
			return credentials{}, errNoCredentials(err)
		}
		return credentials{}, &clierr.Error{Kind: clierr.Other, Message: err.Error(), Err: err}
	}
	if cfg.Credentials == nil {
		return credentials{}, errNoCredentials(nil)
	}
	method := "iam-role"
	switch {
	case has("role_arn") && !has("web_identity_token_file"):
		method = "assume-role"
	case has("web_identity_token_file") || envWebIdentity:
		method = "assume-role-with-web-identity"
	case sso:
		method = "sso"
	case has("login_session"):
		method = "login"
	case has("credential_process"):
		method = "custom-process"
	case container1 || container2:
		method = "container-role"
	}
	return credentials{provider: &loggingProvider{p: cfg.Credentials, log: c.log}, noneFound: noneFound, method: method}, nil
}

func (c *Client) profileStatic(source string) aws.Credentials {
	p := c.scoped
	ak, _ := p.str("aws_access_key_id")
	sk, _ := p.str("aws_secret_access_key")
	tok, ok := p.str("aws_session_token")
	if !ok {
		tok, _ = p.str("aws_security_token")
	}
	acct, _ := p.str("aws_account_id")
	return aws.Credentials{AccessKeyID: ak, SecretAccessKey: sk, SessionToken: tok, AccountID: acct, Source: source}
}

// loadSDKConfig runs the SDK's config loader for the credential chain with
// this client's profile, files, region and TLS settings.
func (c *Client) loadSDKConfig(ctx context.Context) (aws.Config, error) {
	tc := c.tlsConfig.Clone()
	httpClient := awshttp.NewBuildableClient().
		WithDialerOptions(func(d *net.Dialer) { d.Timeout = c.connTimeout }).
		WithTransportOptions(func(tr *http.Transport) { tr.TLSClientConfig = tc })
	if c.readTimeout > 0 {
		httpClient = httpClient.WithTimeout(c.readTimeout * 2)
	}
	opts := []func(*sdkconfig.LoadOptions) error{
		sdkconfig.WithRegion(c.region),
		sdkconfig.WithSharedConfigFiles([]string{c.configPath}),
		sdkconfig.WithSharedCredentialsFiles([]string{c.credsPath}),
		sdkconfig.WithHTTPClient(httpClient),
		sdkconfig.WithAssumeRoleCredentialOptions(func(o *stscreds.AssumeRoleOptions) {
			o.TokenProvider = func() (string, error) { return mfaPrompt(o.SerialNumber) }
		}),
	}
	if c.profileExplicit {
		opts = append(opts, sdkconfig.WithSharedConfigProfile(c.profile))
	}
	if len(c.caPEM) > 0 {
		opts = append(opts, sdkconfig.WithCustomCABundle(bytes.NewReader(c.caPEM)))
	}
	return sdkconfig.LoadDefaultConfig(ctx, opts...)
}

// mfaPrompt asks for an MFA code as botocore's assume-role provider does
// (getpass with "Enter MFA code for <serial>: ").
func mfaPrompt(serial *string) (string, error) {
	s := ""
	if serial != nil {
		s = *serial
	}
	fmt.Fprintf(os.Stderr, "Enter MFA code for %s: ", s)
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", errors.New("no MFA code entered")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// loggingProvider notes in the debug log where the SDK found credentials.
type loggingProvider struct {
	p      aws.CredentialsProvider
	log    *Logger
	logged bool
}

func (l *loggingProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	cr, err := l.p.Retrieve(ctx)
	if err == nil && !l.logged {
		l.logged = true
		method := cr.Source
		switch {
		case strings.HasPrefix(method, stscreds.ProviderName):
			method = "assume-role"
		case strings.HasPrefix(method, stscreds.WebIdentityProviderName):
			method = "assume-role-with-web-identity"
		case strings.HasPrefix(method, ec2rolecreds.ProviderName):
			method = "iam-role"
		case strings.HasPrefix(method, "SSOProvider"):
			method = "sso"
		case strings.HasPrefix(method, "ProcessProvider"):
			method = "custom-process"
		case strings.HasPrefix(method, "CredentialsEndpointProvider"):
			method = "container-role"
		case strings.HasPrefix(method, "LoginProvider"):
			method = "login"
		}
		l.log.Info(credLogger, "Found credentials via: %s", method)
	}
	return cr, err
}
