package latency

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strings"
)

// Device describes the machine a latency was measured on.
type Device struct {
	// CPU is the processor model ("model name" of /proc/cpuinfo where there is one), or
	// a free description of a user's target such as "Pixel 7 (Tensor G2), TFLite".
	CPU string `json:"cpu"`
	// NumCPU is the number of logical CPUs of the machine.
	NumCPU int `json:"num_cpu,omitempty"`
	// Threads is GOMAXPROCS while timing: the cores used.
	Threads int `json:"threads,omitempty"`
	// GOOS, GOARCH and GoVersion are those of the measuring program.
	GOOS      string `json:"goos,omitempty"`
	GOARCH    string `json:"goarch,omitempty"`
	GoVersion string `json:"go_version,omitempty"`
}

// ThisDevice describes the machine running the program, timing with threads cores.
func ThisDevice(threads int) Device {
	return Device{CPU: cpuModel(), NumCPU: runtime.NumCPU(), Threads: threads,
		GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, GoVersion: runtime.Version()}
}

// String describes d in one line.
func (d Device) String() string {
	s := d.CPU
	if d.Threads > 0 {
		s += fmt.Sprintf(", %d of %d threads", d.Threads, d.NumCPU)
	}
	if d.GOOS != "" {
		s += fmt.Sprintf(", %s/%s", d.GOOS, d.GOARCH)
	}
	if d.GoVersion != "" {
		s += ", " + d.GoVersion
	}
	return s
}

// cpuModel returns the first "model name" of /proc/cpuinfo, or GOARCH when there is none.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == "model name" && strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}
