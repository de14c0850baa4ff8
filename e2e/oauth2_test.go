package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestOAuth2ClientCredentials: boto3 creates a domain, a resource server
// and a confidential client with the client_credentials flow; Python's
// urllib gets a machine-to-machine token from the domain's token endpoint
// (HTTP Basic, the path form of the domain and the
// <prefix>.localhost Host form), checks its claims and that the pool's
// discovery document names the endpoint.
func TestOAuth2ClientCredentials(t *testing.T) {
	c := start(t, "--in-memory")
	script := `
import sys, json, base64, urllib.request, urllib.error, urllib.parse, boto3
base = sys.argv[1]
c = boto3.client("cognito-idp", endpoint_url=base, region_name="us-east-1")
pool = c.create_user_pool(PoolName="m2m")["UserPool"]["Id"]
c.create_user_pool_domain(UserPoolId=pool, Domain="e2e-app")
d = c.describe_user_pool_domain(Domain="e2e-app")["DomainDescription"]
assert d["UserPoolId"] == pool and d["Status"] == "ACTIVE", d
assert c.describe_user_pool(UserPoolId=pool)["UserPool"]["Domain"] == "e2e-app"
c.create_resource_server(UserPoolId=pool, Identifier="orders", Name="Orders",
    Scopes=[{"ScopeName": "read", "ScopeDescription": "Read orders"}])
rs = c.list_resource_servers(UserPoolId=pool, MaxResults=10)["ResourceServers"]
assert [r["Identifier"] for r in rs] == ["orders"], rs
cl = c.create_user_pool_client(UserPoolId=pool, ClientName="svc", GenerateSecret=True,
    AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["client_credentials"],
    AllowedOAuthScopes=["orders/read"])["UserPoolClient"]
cid, secret = cl["ClientId"], cl["ClientSecret"]

def token(url, host=None, auth=(cid, secret), form="grant_type=client_credentials&scope=orders%2Fread"):
    req = urllib.request.Request(url, data=form.encode(), method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"})
    if auth:
        req.add_header("Authorization", "Basic " + base64.b64encode((auth[0] + ":" + auth[1]).encode()).decode())
    if host:
        req.add_header("Host", host)
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)

def claims(jwt):
    p = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))

status, body = token(base + "/_domain/e2e-app/oauth2/token")
assert status == 200 and body["token_type"] == "Bearer" and body["expires_in"] == 3600, (status, body)
cl = claims(body["access_token"])
assert cl["sub"] == cid and cl["client_id"] == cid and cl["token_use"] == "access", cl
assert cl["scope"] == "orders/read" and cl["version"] == 2 and cl["iss"] == base + "/" + pool, cl

port = urllib.parse.urlparse(base).port
status, body = token(base + "/oauth2/token", host="e2e-app.localhost:%d" % port)
assert status == 200 and claims(body["access_token"])["sub"] == cid, (status, body)

status, body = token(base + "/_domain/e2e-app/oauth2/token", auth=(cid, "wrong"))
assert status == 400 and body["error"] == "invalid_client", (status, body)
status, body = token(base + "/_domain/e2e-app/oauth2/token", form="grant_type=client_credentials&scope=openid")
assert status == 400 and body["error"] == "invalid_scope", (status, body)

with urllib.request.urlopen(base + "/" + pool + "/.well-known/openid-configuration") as r:
    oidc = json.load(r)
assert oidc["token_endpoint"] == base + "/_domain/e2e-app/oauth2/token", oidc
print("ok")
`
	runBoto3(t, c, script)
}

// TestAWSCLIUserPoolDomains: the AWS CLI v1 creates a custom domain (a
// fully qualified name, which the model's prefix pattern would refuse)
// and describes it.
func TestAWSCLIUserPoolDomains(t *testing.T) {
	c := start(t, "--in-memory")
	var pool struct{ UserPool struct{ Id string } }
	if err := json.Unmarshal([]byte(mustAWSCLI(t, c, "cognito-idp", "create-user-pool", "--pool-name", "cli")), &pool); err != nil {
		t.Fatal(err)
	}
	out := mustAWSCLI(t, c, "cognito-idp", "create-user-pool-domain", "--user-pool-id", pool.UserPool.Id, "--domain", "auth.example.com",
		"--custom-domain-config", "CertificateArn=arn:aws:acm:us-east-1:123456789012:certificate/abc-123")
	if !strings.Contains(out, `"CloudFrontDomain": "d`) {
		t.Errorf("create-user-pool-domain: %s", out)
	}
	out = mustAWSCLI(t, c, "cognito-idp", "describe-user-pool-domain", "--domain", "auth.example.com")
	if !strings.Contains(out, `"Status": "ACTIVE"`) || !strings.Contains(out, `"CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/abc-123"`) {
		t.Errorf("describe-user-pool-domain: %s", out)
	}
	_, errOut, code := awsCLI(t, c, "cognito-idp", "create-user-pool-domain", "--user-pool-id", pool.UserPool.Id, "--domain", "Bad_Prefix")
	if code == 0 || !strings.Contains(errOut, "InvalidParameterException") || !strings.Contains(errOut, "The domain name contains an invalid character.") {
		t.Errorf("bad prefix: exit %d %s", code, errOut)
	}
}
