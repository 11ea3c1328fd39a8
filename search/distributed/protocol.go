package distributed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/zeronas/zeronas/space"
)

// Names of the JetStream resources, shared by every run on a server.
const (
	TasksStream     = "ZERONAS_TASKS"
	ResultsStream   = "ZERONAS_RESULTS"
	SettingsBucket  = "zeronas_settings"
	WorkersConsumer = "zeronas_workers"
	tasksPrefix     = "zeronas.tasks."
	resultsPrefix   = "zeronas.results."
)

// Protocol is the version of the task and result formats.
const Protocol = 1

// Limits of the protocol. The streams are created with MaxMsgSize MaxMessageBytes, so the
// server refuses larger messages before anyone reads them.
const (
	MaxMessageBytes = 64 << 10
	maxErrorBytes   = 4 << 10
	maxWorkerBytes  = 256
)

// Defaults of Options.
const (
	// DefaultAckWait is how long the server waits for a worker's ack or in-progress ack
	// before it redelivers a task: a worker that dies is noticed this late.
	DefaultAckWait = 30 * time.Second
	// DefaultMaxDeliver is how many times a task is delivered before it is failed.
	DefaultMaxDeliver = 5
)

// Task asks a worker to evaluate one architecture under the settings of Hash.
type Task struct {
	Protocol int             `json:"protocol"`
	Version  string          `json:"zeronas"`
	Settings string          `json:"settings"`
	ID       string          `json:"id"`
	Arch     json.RawMessage `json:"arch"`
}

// Result is a worker's answer to a Task: the evaluation, or Error when it failed on the
// task's last delivery.
type Result struct {
	Protocol   int       `json:"protocol"`
	Settings   string    `json:"settings"`
	ID         string    `json:"id"`
	Objectives []float64 `json:"objectives,omitempty"`
	Violation  float64   `json:"violation"`
	Error      string    `json:"error,omitempty"`
	Worker     string    `json:"worker"`
	// Deliveries is the delivery of the task that produced the result.
	Deliveries uint64 `json:"deliveries"`
}

var errInvalid = errors.New("invalid message")

// decodeStrict decodes one JSON value of at most MaxMessageBytes with known fields only.
func decodeStrict(data []byte, v any) error {
	if len(data) > MaxMessageBytes {
		return fmt.Errorf("%w: %d bytes, over the limit of %d", errInvalid, len(data), MaxMessageBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %v", errInvalid, err)
	}
	if dec.More() {
		return fmt.Errorf("%w: data after the JSON value", errInvalid)
	}
	return nil
}

// isHex16 reports whether s is 16 lower-case hex digits: an architecture ID or a settings
// hash, safe in a subject.
func isHex16(s string) bool {
	if len(s) != 16 {
		return false
	}
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// taskSubject returns the subject of the tasks of the settings hash, measured on device
// (none: "").
func taskSubject(device, hash string) string {
	if device == "" {
		return tasksPrefix + hash
	}
	return tasksPrefix + "device." + device + "." + hash
}

// consumerName returns the name of the consumer the workers of device share.
func consumerName(device string) string {
	if device == "" {
		return WorkersConsumer
	}
	return WorkersConsumer + "_device_" + device
}

// CheckDevice reports whether name can name a device: 1 to 64 letters, digits, '-' or '_'.
func CheckDevice(name string) error {
	ok := len(name) >= 1 && len(name) <= 64
	for _, c := range name {
		ok = ok && ('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_')
	}
	if !ok {
		return fmt.Errorf("device name %q: want 1 to 64 letters, digits, '-' or '_'", name)
	}
	return nil
}

// newTask returns the task of a under the settings hash.
func newTask(version, hash string, a space.Arch) Task {
	return Task{Protocol: Protocol, Version: version, Settings: hash, ID: a.ID(), Arch: a.Canonical()}
}

// decodeTask decodes and checks a task received on subject: its form, its settings hash
// (which must be the subject's) and its architecture (canonical, with the task's ID). The
// space, which the architecture must belong to, is checked by the worker once it has the
// settings.
func decodeTask(subject string, data []byte, device string) (Task, space.Arch, error) {
	var t Task
	if err := decodeStrict(data, &t); err != nil {
		return t, space.Arch{}, err
	}
	switch {
	case t.Protocol != Protocol:
		return t, space.Arch{}, fmt.Errorf("%w: protocol %d, want %d", errInvalid, t.Protocol, Protocol)
	case !isHex16(t.Settings) || subject != taskSubject(device, t.Settings):
		return t, space.Arch{}, fmt.Errorf("%w: settings %q on subject %q", errInvalid, t.Settings, subject)
	case !isHex16(t.ID):
		return t, space.Arch{}, fmt.Errorf("%w: id %q", errInvalid, t.ID)
	}
	var a space.Arch
	if err := decodeStrict(t.Arch, &a); err != nil {
		return t, a, fmt.Errorf("%w: arch: %v", errInvalid, err)
	}
	if !bytes.Equal(a.Canonical(), t.Arch) {
		return t, a, fmt.Errorf("%w: arch of %s is not in canonical form", errInvalid, t.ID)
	}
	if a.ID() != t.ID {
		return t, a, fmt.Errorf("%w: id %s, but the architecture's is %s", errInvalid, t.ID, a.ID())
	}
	return t, a, nil
}

// decodeResult decodes and checks a result received on subject for the settings hash of
// a run of m objectives.
func decodeResult(subject string, data []byte, hash string, m int) (Result, error) {
	var r Result
	if err := decodeStrict(data, &r); err != nil {
		return r, err
	}
	switch {
	case r.Protocol != Protocol:
		return r, fmt.Errorf("%w: protocol %d, want %d", errInvalid, r.Protocol, Protocol)
	case r.Settings != hash:
		return r, fmt.Errorf("%w: settings %q, want %s", errInvalid, r.Settings, hash)
	case !isHex16(r.ID) || subject != resultsPrefix+hash+"."+r.ID:
		return r, fmt.Errorf("%w: id %q on subject %q", errInvalid, r.ID, subject)
	case r.Worker == "" || len(r.Worker) > maxWorkerBytes:
		return r, fmt.Errorf("%w: worker name of %d bytes", errInvalid, len(r.Worker))
	case len(r.Error) > maxErrorBytes:
		return r, fmt.Errorf("%w: error of %d bytes", errInvalid, len(r.Error))
	}
	if r.Error != "" {
		if len(r.Objectives) != 0 || r.Violation != 0 {
			return r, fmt.Errorf("%w: a failure with values", errInvalid)
		}
		return r, nil
	}
	if len(r.Objectives) != m {
		return r, fmt.Errorf("%w: %d objectives, want %d", errInvalid, len(r.Objectives), m)
	}
	for i, f := range r.Objectives {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return r, fmt.Errorf("%w: objective %d is %v", errInvalid, i, f)
		}
	}
	if !(r.Violation >= 0) || math.IsInf(r.Violation, 0) {
		return r, fmt.Errorf("%w: violation %v", errInvalid, r.Violation)
	}
	return r, nil
}
