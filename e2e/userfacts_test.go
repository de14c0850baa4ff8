package e2e

import (
	"os/exec"
	"strings"
	"testing"
)

// TestBoto3UserShapesAndRefusals checks with boto3 the members AWS returns
// for users (issue4-facts §4.2, §5: AdminCreateUser's User, AdminGetUser,
// ListUsers' Users and its PaginationToken, SignUp without a code) and the
// exception codes and texts of documented refusals (§4.1), including the
// PreventUserExistenceErrors answers [DOC managing-errors].
func TestBoto3UserShapesAndRefusals(t *testing.T) {
	c := start(t, "--in-memory")
	script := `
import sys, datetime, boto3
endpoint = sys.argv[1]
c = boto3.client("cognito-idp", endpoint_url=endpoint, region_name="eu-west-1")
def refused(code, message, fn, **kw):
    try:
        fn(**kw)
    except c.exceptions.ClientError as e:
        err = e.response["Error"]
        assert err["Code"] == code and (message is None or err["Message"] == message), (fn.__name__, err)
        return
    raise SystemExit("%s succeeded, want %s" % (fn.__name__, code))

pool = c.create_user_pool(PoolName="shapes")["UserPool"]["Id"]
cid = c.create_user_pool_client(UserPoolId=pool, ClientName="web")["UserPoolClient"]["ClientId"]
hid = c.create_user_pool_client(UserPoolId=pool, ClientName="hiding", PreventUserExistenceErrors="ENABLED")["UserPoolClient"]["ClientId"]

user = c.admin_create_user(UserPoolId=pool, Username="ann", MessageAction="SUPPRESS",
    UserAttributes=[{"Name": "email", "Value": "ann@example.com"}])["User"]
assert set(user) == {"Username", "Attributes", "UserCreateDate", "UserLastModifiedDate", "Enabled", "UserStatus"}, user
assert user["Enabled"] is True and user["UserStatus"] == "FORCE_CHANGE_PASSWORD", user
assert isinstance(user["UserCreateDate"], datetime.datetime), user
names = [a["Name"] for a in user["Attributes"]]
assert sorted(names) == ["email", "sub"], names

got = c.admin_get_user(UserPoolId=pool, Username="ann")
got.pop("ResponseMetadata")
assert set(got) == {"Username", "UserAttributes", "UserCreateDate", "UserLastModifiedDate", "Enabled", "UserStatus"}, got

for i in range(3):
    c.admin_create_user(UserPoolId=pool, Username="u%d" % i, MessageAction="SUPPRESS")
page = c.list_users(UserPoolId=pool, Limit=2)
assert len(page["Users"]) == 2 and "PaginationToken" in page, page
for u in page["Users"]:
    assert set(u) == {"Username", "Attributes", "UserCreateDate", "UserLastModifiedDate", "Enabled", "UserStatus"}, u
last = c.list_users(UserPoolId=pool, Limit=2, PaginationToken=page["PaginationToken"])
last2 = c.list_users(UserPoolId=pool, Limit=2, PaginationToken=last["PaginationToken"]) if "PaginationToken" in last else last
assert "PaginationToken" not in last2, last2
assert [u["Username"] for u in c.list_users(UserPoolId=pool, Filter='cognito:user_status = "force_change_password"')["Users"]] == ["ann", "u0", "u1", "u2"]

out = c.sign_up(ClientId=cid, Username="bob", Password="Passw0rd!", UserAttributes=[{"Name": "email", "Value": "bob@example.com"}])
out.pop("ResponseMetadata")
assert set(out) == {"UserConfirmed", "UserSub"} and out["UserConfirmed"] is False, out

refused("UsernameExistsException", "User already exists", c.sign_up, ClientId=cid, Username="bob", Password="Passw0rd!")
refused("UsernameExistsException", "User account already exists", c.admin_create_user, UserPoolId=pool, Username="ann")
refused("InvalidPasswordException", "Password did not conform with policy: Password must have uppercase characters", c.sign_up, ClientId=cid, Username="cat", Password="passw0rd!")
refused("InvalidPasswordException", "Password did not conform with password policy: Password must have numeric characters",
    c.admin_create_user, UserPoolId=pool, Username="cat", TemporaryPassword="Password!")
refused("InvalidParameterException", "Invalid phone number format.", c.sign_up, ClientId=cid, Username="cat", Password="Passw0rd!",
    UserAttributes=[{"Name": "phone_number", "Value": "0123"}])
refused("InvalidParameterException", "Attributes did not conform to the schema: custom:firstName: Attribute does not exist in the schema.",
    c.sign_up, ClientId=cid, Username="cat", Password="Passw0rd!", UserAttributes=[{"Name": "custom:firstName", "Value": "x"}])
refused("UserNotFoundException", "User does not exist.", c.admin_get_user, UserPoolId=pool, Username="nobody")
refused("UserNotFoundException", "Username/client id combination not found.", c.forgot_password, ClientId=cid, Username="nobody")
refused("InvalidParameterException", "Error while parsing filter.", c.list_users, UserPoolId=pool, Filter='foo = "x"')
refused("CodeMismatchException", "Invalid verification code provided, please try again.",
    c.confirm_forgot_password, ClientId=hid, Username="nobody", ConfirmationCode="123456", Password="Passw0rd!")
refused("ResourceNotFoundException", "User pool client nosuchclient does not exist.", c.sign_up, ClientId="nosuchclient", Username="x", Password="Passw0rd!")

d = c.forgot_password(ClientId=hid, Username="nobody")["CodeDeliveryDetails"]
assert d == {"Destination": "n***@e***.com", "DeliveryMedium": "EMAIL", "AttributeName": "email"}, d
d = c.resend_confirmation_code(ClientId=hid, Username="nobody")["CodeDeliveryDetails"]
assert d["DeliveryMedium"] == "EMAIL", d
print("ok")
`
	cmd := exec.Command("python3", "-c", script, c.endpoint)
	cmd.Env = awsEnv(t)
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "ok" {
		t.Fatalf("boto3 script: %v\n%s", err, out)
	}
}
