package e2e

import (
	"testing"
)

// TestBoto3SignInFlow signs a user up and in with boto3: SignUp, the code
// from the outbox over HTTP, ConfirmSignUp, InitiateAuth with
// USER_PASSWORD_AUTH, the access token's RS256 signature checked against
// the pool's JWKS (fetched from the issuer in the token, verified in
// plain Python), then GetUser with it and a refresh.
func TestBoto3SignInFlow(t *testing.T) {
	c := start(t, "--in-memory")
	script := `
import sys, re, json, base64, hashlib, urllib.request, boto3
endpoint = sys.argv[1]
c = boto3.client("cognito-idp", endpoint_url=endpoint, region_name="eu-west-1")
pool = c.create_user_pool(PoolName="signin", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
cid = c.create_user_pool_client(UserPoolId=pool, ClientName="web",
    ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]["ClientId"]
c.sign_up(ClientId=cid, Username="zoe", Password="Passw0rd!", UserAttributes=[{"Name": "email", "Value": "zoe@example.com"}])
try:
    c.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "zoe", "PASSWORD": "Passw0rd!"})
    raise SystemExit("unconfirmed user signed in")
except c.exceptions.UserNotConfirmedException as e:
    assert e.response["Error"]["Message"] == "User is not confirmed.", e.response
msgs = json.load(urllib.request.urlopen(endpoint + "/_cognate/outbox/messages?poolId=" + pool + "&to=zoe@example.com"))["messages"]
code = re.search(r"\b(\d{6})\b", msgs[-1]["body"]).group(1)
c.confirm_sign_up(ClientId=cid, Username="zoe", ConfirmationCode=code)
try:
    c.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "zoe", "PASSWORD": "nope"})
    raise SystemExit("wrong password accepted")
except c.exceptions.NotAuthorizedException as e:
    assert e.response["Error"]["Message"] == "Incorrect username or password.", e.response
res = c.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "zoe", "PASSWORD": "Passw0rd!"})["AuthenticationResult"]
assert res["TokenType"] == "Bearer" and res["ExpiresIn"] == 3600, res

def b64(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
def verify(tok):
    h, p, s = tok.split(".")
    header, claims = json.loads(b64(h)), json.loads(b64(p))
    assert header["alg"] == "RS256", header
    keys = json.load(urllib.request.urlopen(claims["iss"] + "/.well-known/jwks.json"))["keys"]
    k = [k for k in keys if k["kid"] == header["kid"]][0]
    n, e = int.from_bytes(b64(k["n"]), "big"), int.from_bytes(b64(k["e"]), "big")
    em = pow(int.from_bytes(b64(s), "big"), e, n).to_bytes(256, "big")
    digest_info = bytes.fromhex("3031300d060960864801650304020105000420")
    assert em == b"\x00\x01" + b"\xff" * (256 - 3 - 19 - 32) + b"\x00" + digest_info + hashlib.sha256((h + "." + p).encode()).digest(), "bad signature"
    return claims

access, idt = verify(res["AccessToken"]), verify(res["IdToken"])
assert access["iss"] == endpoint + "/" + pool and access["token_use"] == "access" and access["username"] == "zoe", access
assert idt["email_verified"] is True and idt["cognito:username"] == "zoe" and idt["aud"] == cid, idt
u = c.get_user(AccessToken=res["AccessToken"])
assert u["Username"] == "zoe" and {a["Name"]: a["Value"] for a in u["UserAttributes"]}["email"] == "zoe@example.com", u
ref = c.initiate_auth(ClientId=cid, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": res["RefreshToken"]})["AuthenticationResult"]
assert "RefreshToken" not in ref and verify(ref["AccessToken"])["origin_jti"] == access["origin_jti"], ref
c.global_sign_out(AccessToken=res["AccessToken"])
try:
    c.get_user(AccessToken=res["AccessToken"])
    raise SystemExit("signed-out token accepted")
except c.exceptions.NotAuthorizedException as e:
    assert e.response["Error"]["Message"] == "Access Token has been revoked", e.response
print("ok")
`
	runBoto3(t, c, script)
}
