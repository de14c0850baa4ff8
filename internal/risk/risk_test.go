package risk

import (
	"slices"
	"strings"
	"testing"
)

func TestBreached(t *testing.T) {
	if n := BreachedCount(); n != 19727 {
		t.Errorf("list holds %d passwords, want 19727", n)
	}
	for _, p := range []string{"Pa$$w0rd", "pa$$w0rd", " password1 ", "1qaz@WSX"} {
		if !Breached(p) {
			t.Errorf("%q not found", p)
		}
	}
	for _, p := range []string{"", "Correct-Horse-Battery-Staple-9", "xk3!Qz9#mP2$"} {
		if Breached(p) {
			t.Errorf("%q found", p)
		}
	}
}

func TestRanges(t *testing.T) {
	r, err := ParseRanges([]string{"203.0.113.0/24", "198.51.100.7", "2001:db8::/32", "10.1.2.3/8"})
	if err != nil {
		t.Fatal(err)
	}
	for ip, want := range map[string]bool{
		"203.0.113.9": true, "203.0.114.1": false, "198.51.100.7": true, "198.51.100.8": false,
		"2001:db8::1": true, "2001:db9::1": false, "10.200.0.1": true, "::ffff:203.0.113.5": true, "bad": false, "": false,
	} {
		if got := r.Contains(ip); got != want {
			t.Errorf("Contains(%q) = %v, want %v", ip, got, want)
		}
	}
	for _, bad := range []string{"300.1.1.1/8", "10.0.0.0/33", "example.com", ""} {
		if _, err := ParseRanges([]string{bad}); err == nil {
			t.Errorf("ParseRanges(%q) accepted", bad)
		}
	}
}

func TestDeviceName(t *testing.T) {
	for ua, want := range map[string]string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36":               "Chrome 126, Windows 10",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0.2210.91": "Edge 120, Windows 10",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15":         "Safari 17, Mac OS X",
		"Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0":                                                        "Firefox 121, Linux",
		"Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.11.7 Botocore/1.34.0":                         "Botocore 1, Linux",
		"aws-sdk-go-v2/1.30.0 ua/2.1 os/linux lang/go#1.26 md/GOOS#linux api/cognitoidentityprovider#1.40.0":                            "AWS SDK Go v2 1, Linux",
		"": "Other, Other",
		// A client may send any User-Agent; the name stays short.
		"Chrome/" + strings.Repeat("9", 1<<20) + " Windows": "Chrome 99999999, Windows",
	} {
		if got := DeviceName(ua); got != want {
			t.Errorf("DeviceName(%q) = %q, want %q", ua, got, want)
		}
	}
}

func TestAssess(t *testing.T) {
	high, _ := ParseRanges([]string{"203.0.113.0/24"})
	known := SignIn{KnownIPs: []string{"192.0.2.1"}, KnownDevices: []string{"Chrome 126, Windows 10"}, HighRisk: high}
	with := func(ip, device string) SignIn { s := known; s.IP, s.Device = ip, device; return s }
	for _, c := range []struct {
		s    SignIn
		want string
	}{
		{SignIn{IP: "192.0.2.1", Device: "X", HighRisk: high}, NoRisk}, // first sign-in
		{SignIn{IP: "203.0.113.4", Device: "X", HighRisk: high}, High}, // high-risk range, even first
		{with("192.0.2.1", "Chrome 126, Windows 10"), NoRisk},          // known
		{with("192.0.2.2", "Chrome 126, Windows 10"), Low},             // new address
		{with("192.0.2.1", "Firefox 121, Linux"), Low},                 // new device
		{with("192.0.2.2", "Firefox 121, Linux"), Medium},              // both new
		{with("203.0.113.4", "Chrome 126, Windows 10"), High},          // high-risk range
		{func() SignIn {
			s := with("192.0.2.1", "Chrome 126, Windows 10")
			s.DistrustedIPs = []string{"192.0.2.1"}
			return s
		}(), High},
	} {
		if got := Assess(c.s); got != c.want {
			t.Errorf("Assess(%+v) = %q, want %q", c.s, got, c.want)
		}
	}
}

func TestRemember(t *testing.T) {
	var l []string
	for _, v := range []string{"a", "b", "a", "c", "", "d"} {
		l = Remember(l, v, 3)
	}
	if want := []string{"a", "c", "d"}; !slices.Equal(l, want) {
		t.Errorf("Remember: %v, want %v", l, want)
	}
}
