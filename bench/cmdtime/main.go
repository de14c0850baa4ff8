// Command cmdtime runs a command many times and prints its wall-clock time
// (median, p90, min, max), the way the CLI benchmark compares `cognate
// cognito-idp …` with the AWS CLI. Its stdout is discarded; a failed run
// stops the measurement.
//
//	cmdtime -n 30 -label cognate -- cognate cognito-idp get-log-delivery-configuration …
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"time"
)

func main() {
	n := flag.Int("n", 20, "runs")
	warmup := flag.Int("warmup", 2, "unmeasured runs first")
	label := flag.String("label", "", "name of the command in the output")
	asJSON := flag.Bool("json", false, "print one JSON line")
	flag.Parse()
	argv := flag.Args()
	if len(argv) == 0 {
		fmt.Fprintln(os.Stderr, "usage: cmdtime [-n N] [-label L] [-json] -- command args…")
		os.Exit(2)
	}
	run := func() (time.Duration, error) {
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Stderr = os.Stderr
		start := time.Now()
		err := cmd.Run()
		return time.Since(start), err
	}
	for i := 0; i < *warmup; i++ {
		if _, err := run(); err != nil {
			fmt.Fprintf(os.Stderr, "cmdtime: %s: %v\n", *label, err)
			os.Exit(1)
		}
	}
	var times []time.Duration
	for i := 0; i < *n; i++ {
		d, err := run()
		if err != nil {
			fmt.Fprintf(os.Stderr, "cmdtime: %s: %v\n", *label, err)
			os.Exit(1)
		}
		times = append(times, d)
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	median := times[len(times)/2]
	p90 := times[(len(times)*9)/10]
	if *asJSON {
		out, _ := json.Marshal(map[string]any{"label": *label, "runs": len(times), "median_ms": ms(median), "p90_ms": ms(p90), "min_ms": ms(times[0]), "max_ms": ms(times[len(times)-1])})
		fmt.Println(string(out))
		return
	}
	fmt.Printf("%s: median %.1f ms, p90 %.1f ms, min %.1f ms, max %.1f ms (%d runs)\n", *label, ms(median), ms(p90), ms(times[0]), ms(times[len(times)-1]), len(times))
}
