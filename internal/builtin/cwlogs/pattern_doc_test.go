package cwlogs

import "testing"

// TestPatternDocExamples runs the examples of the filter pattern syntax page
// [DOC FilterAndPatternSyntax, issue4-facts §1.9] on one JSON event and the
// page's Apache log line.
func TestPatternDocExamples(t *testing.T) {
	ev := `{"eventType":"UpdateTrail","sourceIPAddress":"123.123.123.123","arrayKey":["value","another value"],"objectList":[{"name":"a","id":1},{"name":"b","id":2}],"SomeObject":null,"cidrBlock":"10.0.0.0/16","ThisFlag":true,"user":{"id":1,"email":"John.Doe@example.com"},"users":[{"id":2,"email":"John.Doe@example.com"}],"latency":50,"numbers":[10,20],"errorCode":"AccessDeniedX"}`
	cases := map[string]bool{
		`{ $.eventType = "UpdateTrail" }`:                                             true,
		`{ $.sourceIPAddress != 123.123.* }`:                                          false,
		`{ $.arrayKey[0] = "value" }`:                                                 true,
		`{ $.objectList[1].id = 2 }`:                                                  true,
		`{ $.SomeObject IS NULL }`:                                                    true,
		`{ $.SomeOtherObject NOT EXISTS }`:                                            true,
		`{ $.ThisFlag IS TRUE }`:                                                      true,
		`{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }`:          true,
		`{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.latency > 40 }`:      true,
		`{ $.errorCode = "*UnauthorizedOperation" || $.errorCode = "AccessDenied*" }`: true,
		`{ $.numbers[0] < 20 }`:                                                       true,
		`{ $.latency >= 50.0 }`:                                                       true,
		`{ $.cidrBlock = %10\.0\..*% }`:                                               true,
		`{ $.eventType = UpdateTrail }`:                                               true,
		`{ $.user = * }`:                                                              false,
	}
	for p, want := range cases {
		pat, err := ParsePattern(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if got := pat.Match(ev); got != want {
			t.Errorf("%s = %v, want %v", p, got, want)
		}
	}
	for p, want := range map[string]bool{
		`[ip, user, username, timestamp, request, status_code = 4*, bytes]`: true,
		`[ip, user, ..., status_code = 404, bytes > 1000]`:                  true,
		`[..., bytes < 1000]`: false,
	} {
		pat, err := ParsePattern(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if got := pat.Match(`127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 404 1534`); got != want {
			t.Errorf("%s = %v, want %v", p, got, want)
		}
	}
}
