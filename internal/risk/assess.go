package risk

import "slices"

// Risk levels, in the API's words (RiskLevelType); NoRisk is "".
const (
	NoRisk = ""
	Low    = "Low"
	Medium = "Medium"
	High   = "High"
)

// Sign-in is what Assess judges: where a sign-in comes from, and the
// user's history of trusted sign-ins.
type SignIn struct {
	IP, Device string
	// KnownIPs and KnownDevices are those of the user's earlier
	// sign-ins that passed (or that feedback marked valid).
	KnownIPs, KnownDevices []string
	// DistrustedIPs are addresses of events the user or an
	// administrator marked invalid (AdminUpdateAuthEventFeedback).
	DistrustedIPs []string
	// HighRisk are the server's high-risk ranges (--high-risk-ip-ranges).
	HighRisk Ranges
}

// Assess returns the risk level of a sign-in. The rule, in order:
//
//   - an address in the server's high-risk ranges, or one marked invalid
//     by feedback: High;
//   - the user's first sign-in (no history yet): no risk; it starts the
//     history;
//   - a new address and a new device: Medium;
//   - a new address or a new device: Low;
//   - otherwise no risk.
//
// AWS lowers the risk of sessions like ones given valid feedback [DOC
// adaptive authentication]; here valid feedback makes the address and
// device known.
func Assess(s SignIn) string {
	if s.HighRisk.Contains(s.IP) || slices.Contains(s.DistrustedIPs, s.IP) {
		return High
	}
	if len(s.KnownIPs) == 0 && len(s.KnownDevices) == 0 {
		return NoRisk
	}
	newIP := !slices.Contains(s.KnownIPs, s.IP)
	newDevice := !slices.Contains(s.KnownDevices, s.Device)
	switch {
	case newIP && newDevice:
		return Medium
	case newIP || newDevice:
		return Low
	}
	return NoRisk
}

// Remember adds v to a history list, keeping the most recent max entries.
func Remember(list []string, v string, max int) []string {
	if v == "" {
		return list
	}
	if i := slices.Index(list, v); i >= 0 {
		list = slices.Delete(list, i, i+1)
	}
	list = append(list, v)
	if len(list) > max {
		list = list[len(list)-max:]
	}
	return list
}
