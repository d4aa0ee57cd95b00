// Command cron-crosscheck reads CronJob schedules with the instants Tidewater's Java reference
// evaluators expect, and reports where robfig/cron (the library the CronJob controller uses)
// disagrees. Input lines: schedule|timeZone|startEpochSeconds|expected epoch seconds, comma-separated.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	total, differ := 0, 0
	for in.Scan() {
		p := strings.Split(in.Text(), "|")
		// As the CronJob controller does with spec.timeZone.
		sched, err := cron.ParseStandard("TZ=" + p[1] + " " + p[0])
		total++
		if err != nil {
			differ++
			fmt.Printf("refused by robfig/cron: %q: %v\n", p[0], err)
			continue
		}
		start, _ := strconv.ParseInt(p[2], 10, 64)
		var want, got []string
		if p[3] != "" {
			want = strings.Split(p[3], ",")
		}
		t := time.Unix(start, 0).UTC()
		for range want {
			if t = sched.Next(t); t.IsZero() {
				break
			}
			got = append(got, strconv.FormatInt(t.Unix(), 10))
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			differ++
			if differ <= 10 {
				fmt.Printf("%q in %s from %s:\n robfig/cron %v\n expected    %v\n", p[0], p[1], p[2], got, want)
			}
		}
	}
	fmt.Printf("%d schedules, %d differ\n", total, differ)
	if differ > 0 {
		os.Exit(1)
	}
}
