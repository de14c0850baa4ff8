package risk

import (
	"regexp"
	"strings"
)

// DeviceName names the device of a User-Agent as Cognito's auth events
// do: "<browser> <major version>, <operating system>", e.g. "Chrome 126,
// Windows 10" [DOC exporting-quotas-and-usage], "Other, Other" when
// nothing is recognised [DOC user-activity export sample]. Cognito derives
// it from the advanced-security fingerprint when there is one; Cognate,
// which cannot read that opaque data, always uses the User-Agent [INF].
func DeviceName(userAgent string) string {
	return browser(userAgent) + ", " + system(userAgent)
}

var browsers = []struct {
	name string
	re   *regexp.Regexp
}{
	// Order matters: Edge and Opera also say Chrome, Chrome also says
	// Safari. Versions are read to at most 8 digits: the name goes into
	// every exported userAuthEvents record, and a request's User-Agent
	// is the client's to make as long as it likes.
	{"Edge", regexp.MustCompile(`Edg(?:e|A|iOS)?/(\d{1,8})`)},
	{"Opera", regexp.MustCompile(`OPR/(\d{1,8})`)},
	{"Firefox", regexp.MustCompile(`Firefox/(\d{1,8})`)},
	{"Chrome", regexp.MustCompile(`(?:Chrome|CriOS)/(\d{1,8})`)},
	{"Safari", regexp.MustCompile(`Version/(\d{1,8})[.\d]* (?:Mobile/\S+ )?Safari/`)},
	// SDKs and command lines: what a test suite signs in with.
	{"Botocore", regexp.MustCompile(`Botocore/(\d{1,8})`)},
	{"AWS CLI", regexp.MustCompile(`aws-cli/(\d{1,8})`)},
	{"AWS SDK Go v2", regexp.MustCompile(`aws-sdk-go-v2/(\d{1,8})`)},
	{"AWS SDK JS", regexp.MustCompile(`aws-sdk-js(?:-v3)?/(\d{1,8})`)},
	{"aws-amplify", regexp.MustCompile(`aws-amplify/(\d{1,8})`)},
}

func browser(ua string) string {
	for _, b := range browsers {
		if m := b.re.FindStringSubmatch(ua); m != nil {
			return b.name + " " + m[1]
		}
	}
	return "Other"
}

func system(ua string) string {
	switch {
	case strings.Contains(ua, "Windows NT 10.0"):
		return "Windows 10"
	case strings.Contains(ua, "Windows"):
		return "Windows"
	case strings.Contains(ua, "iPhone OS"), strings.Contains(ua, "iPad"):
		return "iOS"
	case strings.Contains(ua, "Mac OS X"):
		return "Mac OS X"
	case strings.Contains(ua, "Android"):
		return "Android"
	case strings.Contains(ua, "CrOS"):
		return "Chrome OS"
	case strings.Contains(ua, "Linux"), strings.Contains(ua, "linux"):
		return "Linux"
	}
	return "Other"
}
