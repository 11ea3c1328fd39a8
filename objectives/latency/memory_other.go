//go:build !linux

package latency

// physicalMemory returns 0 (unknown) where sysinfo(2) does not exist; MemoryLimit then
// uses DefaultMemoryLimit.
func physicalMemory() int64 { return 0 }
