package risk

import (
	"fmt"
	"net/netip"
	"strings"
)

// Ranges is a list of IP address ranges (CIDR blocks; a bare address is a
// one-address range).
type Ranges []netip.Prefix

// ParseRanges parses CIDR blocks such as "192.0.2.0/24" or
// "2001:db8::/32", and bare addresses. It names the first bad one.
func ParseRanges(list []string) (Ranges, error) {
	out := make(Ranges, 0, len(list))
	for _, s := range list {
		s = strings.TrimSpace(s)
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("%q is not an IP address range (CIDR block)", s)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// Contains reports whether ip (an address in text form) is in one of the
// ranges; an unparsable ip is in none.
func (r Ranges) Contains(ip string) bool {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range r {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ValidIP reports whether s is an IPv4 or IPv6 address.
func ValidIP(s string) bool {
	_, err := netip.ParseAddr(s)
	return err == nil
}
