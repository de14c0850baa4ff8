package e2e

import (
	"testing"
)

// TestBoto3SignUpFlow drives sign-up with boto3 end to end: an app client
// with a secret, SignUp with its SECRET_HASH, the code read from the
// outbox over HTTP (GET /_cognate/outbox/messages), ConfirmSignUp, then
// the forgot-password round trip and ListUsers' paginator.
func TestBoto3SignUpFlow(t *testing.T) {
	c := start(t, "--in-memory")
	script := `
import sys, re, json, hmac, hashlib, base64, urllib.request, boto3
endpoint = sys.argv[1]
c = boto3.client("cognito-idp", endpoint_url=endpoint, region_name="eu-west-1")
pool = c.create_user_pool(PoolName="flow", AutoVerifiedAttributes=["email"],
    Schema=[{"Name": "email", "Required": True}])["UserPool"]["Id"]
client = c.create_user_pool_client(UserPoolId=pool, ClientName="server", GenerateSecret=True)["UserPoolClient"]
cid, secret = client["ClientId"], client["ClientSecret"]
def sh(user):
    return base64.b64encode(hmac.new(secret.encode(), (user + cid).encode(), hashlib.sha256).digest()).decode()
def code_for(addr):
    url = endpoint + "/_cognate/outbox/messages?poolId=" + pool + "&to=" + addr
    msgs = json.load(urllib.request.urlopen(url))["messages"]
    assert msgs, "no message to " + addr
    return re.search(r"\b(\d{6})\b", msgs[-1]["body"]).group(1)

try:
    c.sign_up(ClientId=cid, Username="ann", Password="Passw0rd!", UserAttributes=[{"Name": "email", "Value": "ann@example.com"}])
    raise SystemExit("sign-up without SECRET_HASH succeeded")
except c.exceptions.NotAuthorizedException as e:
    assert "SECRET_HASH was not received" in e.response["Error"]["Message"], e.response
out = c.sign_up(ClientId=cid, SecretHash=sh("ann"), Username="ann", Password="Passw0rd!",
    UserAttributes=[{"Name": "email", "Value": "ann@example.com"}])
assert out["UserConfirmed"] is False and len(out["UserSub"]) == 36, out
assert out["CodeDeliveryDetails"] == {"Destination": "a***@e***.com", "DeliveryMedium": "EMAIL", "AttributeName": "email"}, out
try:
    c.confirm_sign_up(ClientId=cid, SecretHash=sh("ann"), Username="ann", ConfirmationCode="000000")
    raise SystemExit("wrong code accepted")
except c.exceptions.CodeMismatchException as e:
    assert e.response["Error"]["Message"] == "Invalid verification code provided, please try again.", e.response
c.confirm_sign_up(ClientId=cid, SecretHash=sh("ann"), Username="ann", ConfirmationCode=code_for("ann@example.com"))
u = c.admin_get_user(UserPoolId=pool, Username="ann")
attrs = {a["Name"]: a["Value"] for a in u["UserAttributes"]}
assert u["UserStatus"] == "CONFIRMED" and attrs["email_verified"] == "true" and attrs["sub"] == out["UserSub"], u

c.forgot_password(ClientId=cid, SecretHash=sh("ann"), Username="ann")
try:
    c.confirm_forgot_password(ClientId=cid, SecretHash=sh("ann"), Username="ann", ConfirmationCode=code_for("ann@example.com"), Password="weak")
    raise SystemExit("weak password accepted")
except c.exceptions.InvalidPasswordException as e:
    assert e.response["Error"]["Message"] == "Password did not conform with policy: Password not long enough", e.response
c.confirm_forgot_password(ClientId=cid, SecretHash=sh("ann"), Username="ann", ConfirmationCode=code_for("ann@example.com"), Password="N3w-Passw0rd")

for i in range(5):
    c.admin_create_user(UserPoolId=pool, Username="bulk%d" % i, MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "bulk%d@example.com" % i}])
try:
    c.admin_create_user(UserPoolId=pool, Username="bulk0", MessageAction="SUPPRESS", UserAttributes=[{"Name": "email", "Value": "x@example.com"}])
    raise SystemExit("duplicate user created")
except c.exceptions.UsernameExistsException as e:
    assert e.response["Error"]["Message"] == "User account already exists", e.response
names = [u["Username"] for page in c.get_paginator("list_users").paginate(UserPoolId=pool, Filter='email ^= "bulk"', PaginationConfig={"PageSize": 2}) for u in page["Users"]]
assert names == ["bulk0", "bulk1", "bulk2", "bulk3", "bulk4"], names
print("ok")
`
	runBoto3(t, c, script)
}
