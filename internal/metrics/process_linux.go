package metrics

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"
)

// userHZ is the unit of the times in /proc/self/stat: 100 a second on
// every Linux that Go runs on (as Prometheus's procfs assumes too).
const userHZ = 100

// collectProcess reads the process's metrics under the names and help
// texts of Prometheus's process collector, from /proc and getrlimit.
func collectProcess(context.Context) ([]Family, error) {
	stat, err := readProcessStat()
	if err != nil {
		return nil, err
	}
	bootTime, err := readBootTime()
	if err != nil {
		return nil, err
	}
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return nil, err
	}
	var files, memory syscall.Rlimit
	if err := errors.Join(syscall.Getrlimit(syscall.RLIMIT_NOFILE, &files), syscall.Getrlimit(syscall.RLIMIT_AS, &memory)); err != nil {
		return nil, err
	}
	return []Family{
		counter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", float64(stat.userTicks+stat.systemTicks)/userHZ),
		gauge("process_open_fds", "Number of open file descriptors.", float64(len(fds))),
		gauge("process_max_fds", "Maximum number of open file descriptors.", float64(files.Cur)),
		gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", float64(stat.virtualBytes)),
		gauge("process_virtual_memory_max_bytes", "Maximum amount of virtual memory available in bytes.", float64(memory.Cur)),
		gauge("process_resident_memory_bytes", "Resident memory size in bytes.", float64(stat.residentPages*uint64(os.Getpagesize()))),
		gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", float64(bootTime)+float64(stat.startTicks)/userHZ),
	}, nil
}

// processStat is what the metrics take from /proc/self/stat.
type processStat struct {
	userTicks, systemTicks, startTicks uint64
	virtualBytes, residentPages        uint64
}

// readProcessStat parses /proc/self/stat (proc(5)): the fields after the
// command's name, which is in parentheses and may hold spaces.
func readProcessStat() (processStat, error) {
	data, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return processStat{}, err
	}
	end := bytes.LastIndexByte(data, ')')
	if end < 0 {
		return processStat{}, fmt.Errorf("/proc/self/stat: no command name in %q", data)
	}
	fields := bytes.Fields(data[end+1:]) // fields[0] is field 3, the state
	field := func(n int) uint64 {
		if n-3 >= len(fields) {
			err = fmt.Errorf("/proc/self/stat: %d fields", len(fields)+2)
			return 0
		}
		v, e := strconv.ParseUint(string(fields[n-3]), 10, 64)
		if e != nil {
			err = fmt.Errorf("/proc/self/stat field %d: %w", n, e)
		}
		return v
	}
	s := processStat{userTicks: field(14), systemTicks: field(15), startTicks: field(22), virtualBytes: field(23), residentPages: field(24)}
	return s, err
}

// readBootTime is the system's boot time in seconds since the epoch, the
// btime line of /proc/stat.
func readBootTime() (int64, error) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, err
	}
	for line := range bytes.Lines(data) {
		if rest, ok := bytes.CutPrefix(line, []byte("btime ")); ok {
			return strconv.ParseInt(string(bytes.TrimSpace(rest)), 10, 64)
		}
	}
	return 0, errors.New("/proc/stat: no btime")
}
